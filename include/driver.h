/* Device drivers found from the device tree (drivers/): each driver file
 * registers itself with DT_DRIVER(), and drivers_probe() calls its probe
 * for every available node one of its compatible strings matches, in tree
 * order, once the memory map is up. A board's own C (platforms/<p>/) runs
 * after them, for facts no device tree carries. */
#ifndef ORDERLY_DRIVER_H
#define ORDERLY_DRIVER_H

#include "compiler.h"

struct dt_driver {
    const char *name;
    const char *const *compatible;      /* NULL-terminated */
    /* 0, or negative when the device cannot be used (the driver says why) */
    int (*probe)(const void *dtb, int node);
};

#define DT_DRIVER(var) \
    static const struct dt_driver *const __dt_driver_##var __used \
        __section("orderly_drivers") = &var

void drivers_probe(const void *dtb);

/* The platform's board code (platforms/<p>/board.c), if it has any: after
 * the drivers, with the DTB (or NULL). The default does nothing. */
void board_init(const void *dtb);

/* The virtual address of a device range (physical, from the DT), mapped as
 * device memory if the memory map does not cover it yet; NULL if it cannot
 * be mapped (said on the console). */
void *ioremap(uint64_t phys, uint64_t size, const char *what);

#endif
