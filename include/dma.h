/* Streaming DMA mappings (Linux's dma_map_single/dma_unmap_single, its
 * Documentation/core-api/dma-api.rst): the bus address a device uses for a
 * RAM buffer, and the cache maintenance a device that is not cache-coherent
 * needs around each transfer - clean (write back) before the device reads
 * the buffer, invalidate before the CPU reads what the device wrote. A
 * device is coherent when its DT node or an ancestor says "dma-coherent"
 * (or the arch is coherent by construction: ppc e500's snooped inbound
 * windows); bootargs dma.maintenance forces the maintenance on coherent
 * devices too, so the path runs where everything is coherent (QEMU). */
#ifndef ORDERLY_DMA_H
#define ORDERLY_DMA_H

#include "compiler.h"

enum dma_data_direction { DMA_BIDIRECTIONAL, DMA_TO_DEVICE, DMA_FROM_DEVICE };

struct dma_dev {
    bool coherent;
    uint64_t offset;            /* bus address = CPU physical + offset */
};

/* What the device tree says of node's DMA (dtb may be NULL: coherent as
 * the arch is by default). */
void dma_dev_init(struct dma_dev *d, const void *dtb, int node, uint64_t offset);
/* The maintenance runs for d (not coherent, or forced by the bootarg). */
bool dma_needs_maintenance(const struct dma_dev *d);

uint64_t dma_map_single(const struct dma_dev *d, void *p, size_t len, enum dma_data_direction dir);
void dma_unmap_single(const struct dma_dev *d, void *p, size_t len, enum dma_data_direction dir);

/* Cache maintenance operations run by the mappings so far. */
struct dma_stats {
    unsigned long cleans, invals;
};
void dma_stats_get(struct dma_stats *out);

#endif
