/* Streaming DMA mappings (include/dma.h) on the arch's cache maintenance
 * (include/cache.h). */
#include "cache.h"
#include "dma.h"
#include "fdt.h"
#include "options.h"
#include <asm/io.h>
#include <barrier.h>

static bool opt_force;
OPTION(dma_maintenance, "dma.maintenance", BOOTARG_FLAG, &opt_force,
       "run streaming-DMA cache maintenance for coherent devices too");

static struct dma_stats stats;

#ifdef ARCH_DMA_DEFAULT_COHERENT
#define DEFAULT_COHERENT true
#else
#define DEFAULT_COHERENT false
#endif

/* The node or an ancestor says dma-coherent (Linux's of_dma_is_coherent). */
void dma_dev_init(struct dma_dev *d, const void *dtb, int node, uint64_t offset)
{
    d->offset = offset;
    d->coherent = DEFAULT_COHERENT || !dtb;
    for (int n = node; dtb && n >= 0 && !d->coherent; n = dt_parent(dtb, n))
        d->coherent = dt_has_prop(dtb, n, "dma-coherent");
}

bool dma_needs_maintenance(const struct dma_dev *d)
{
    return !d->coherent || opt_force;
}

/* The device may read the buffer: what the CPU wrote goes to memory. For
 * FROM_DEVICE the lines are invalidated as well, so that no dirty line is
 * written back over the device's data later. */
uint64_t dma_map_single(const struct dma_dev *d, void *p, size_t len, enum dma_data_direction dir)
{
    if (dma_needs_maintenance(d)) {
        if (dir == DMA_FROM_DEVICE)
            dcache_clean_inval_range(p, len);
        else
            dcache_clean_range(p, len);
        WRITE_ONCE(stats.cleans, stats.cleans + 1);
    } else {
        dma_wmb();      /* coherent: ordering is all the CPU owes the device */
    }
    return (uint64_t)(uintptr_t)p + d->offset;
}

/* The CPU may read what the device wrote: stale lines (a speculative fill
 * while the device owned the buffer) are discarded. */
void dma_unmap_single(const struct dma_dev *d, void *p, size_t len, enum dma_data_direction dir)
{
    if (dir != DMA_TO_DEVICE && dma_needs_maintenance(d)) {
        dcache_inval_range(p, len);
        WRITE_ONCE(stats.invals, stats.invals + 1);
    } else {
        dma_rmb();
    }
}

void dma_stats_get(struct dma_stats *out)
{
    out->cleans = READ_ONCE(stats.cleans);
    out->invals = READ_ONCE(stats.invals);
}
