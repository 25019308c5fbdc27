/* The identity map from the device tree (kernel/memmap.c): every /memory
 * bank as normal memory, every device node's reg and every PCI host
 * window as device memory; the ranges are kept for the memory-attribute
 * self-test. */
#ifndef ORDERLY_MEMMAP_H
#define ORDERLY_MEMMAP_H

#include "compiler.h"

struct mem_range {
    uint64_t base, size;
    const char *name;       /* DT node name */
};

#define MAX_RAM_RANGES 8
#define MAX_DEV_RANGES 96

extern struct mem_range ram_ranges[MAX_RAM_RANGES];
extern struct mem_range dev_ranges[MAX_DEV_RANGES];
extern int nr_ram_ranges, nr_dev_ranges;

/* Map them (boot CPU, before arch_mmu_enable); with no DTB, the
 * platform's default RAM and console. */
void memmap_init(const void *dtb);
/* One more device range (later mappings go live at once); 0, or -1 with
 * the reason on the console. */
int memmap_add_device(uint64_t base, uint64_t size, const char *name);
/* Is [base, base+size) inside one device range already mapped? */
bool memmap_covers_device(uint64_t base, uint64_t size);

#endif
