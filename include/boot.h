/* Arch-neutral boot flow (boot/). */
#ifndef ORDERLY_BOOT_H
#define ORDERLY_BOOT_H

#include "compiler.h"

struct boot_info {
    const void *dtb;            /* validated DTB, or NULL */
    const char *dtb_source;     /* how it was found, for the header */
    const char *bootargs;
    uint64_t t_entry;           /* counter at entry */
    uint64_t ram_base, ram_size;
};
extern struct boot_info boot_info;

__noreturn void boot_main(const void *dtb);
void memmap_init(const void *dtb);
__noreturn void run_tests(void);
__noreturn void orderly_exit(int status);

#endif
