/* Data-cache maintenance by virtual address range, for non-coherent DMA.
 * The arch implements these; on a cache-coherent system they still run. */
#ifndef ORDERLY_CACHE_H
#define ORDERLY_CACHE_H

#include <stddef.h>

void dcache_clean_range(const void *start, size_t len);      /* write back */
void dcache_inval_range(const void *start, size_t len);      /* discard */
void dcache_clean_inval_range(const void *start, size_t len);
size_t dcache_line_size(void);

#endif
