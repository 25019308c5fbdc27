/* The boot flow (boot/): what it found, for the header and the tests,
 * and the entry points the arch's start-up code calls. */
#ifndef ORDERLY_BOOT_H
#define ORDERLY_BOOT_H

#include "compiler.h"

struct percpu;

struct boot_info {
    const void *dtb;            /* validated DTB, or NULL */
    const char *dtb_source;     /* how it was found, for the header */
    /* A blob that was given but refused ("<reason> (<source>, <addr>)"):
     * the run goes on without it, and selftest/device-tree fails with it. */
    const char *dtb_refused;
    const char *bootargs;
    uint64_t t_entry;           /* counter at entry */
};
extern struct boot_info boot_info;

/* The boot CPU's C entry (from the arch's head code, stack and BSS set). */
__noreturn void boot_main(const void *dtb);
/* Entered by each secondary (from arch code) with the MMU on and its stack
 * set; never returns. */
__noreturn void secondary_main(struct percpu *pc);

#endif
