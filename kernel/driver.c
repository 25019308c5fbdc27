/* Probing the device tree's nodes against the registered drivers
 * (include/driver.h). */
#include "arch.h"
#include "console.h"
#include "driver.h"
#include "fdt.h"
#include "memmap.h"

extern const struct dt_driver *const __start_orderly_drivers[];
extern const struct dt_driver *const __stop_orderly_drivers[];

static const struct dt_driver *driver_for(const void *dtb, int node)
{
    for (const struct dt_driver *const *d = __start_orderly_drivers; d < __stop_orderly_drivers; d++)
        for (const char *const *c = (*d)->compatible; *c; c++)
            if (dt_is_compatible(dtb, node, *c))
                return *d;
    return NULL;
}

void drivers_probe(const void *dtb)
{
    if (!dtb)
        return;
    for (int node = dt_root(dtb); node >= 0; node = dt_next_node(dtb, node)) {
        const struct dt_driver *d = driver_for(dtb, node);
        if (d && dt_is_available(dtb, node))
            d->probe(dtb, node);
    }
}

__attribute__((weak)) void board_init(const void *dtb) { (void)dtb; }

void *ioremap(uint64_t phys, uint64_t size, const char *what)
{
    if (!memmap_covers_device(phys, size) && memmap_add_device(phys, size, what) != 0) {
        pr_warn("%s: 0x%llx+0x%llx cannot be mapped\n", what, (unsigned long long)phys,
                (unsigned long long)size);
        return NULL;
    }
    return (void *)arch_phys_to_virt(phys);
}
