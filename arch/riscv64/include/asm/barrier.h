/* riscv64 barriers, with the fence choices of Linux's
 * arch/riscv/include/asm/barrier.h: the mandatory barriers also order the
 * device (I/O) space (fence iorw/ir/ow), the SMP and DMA barriers order
 * normal memory only (fence rw/r/w), and release/acquire are a plain
 * store or load behind/ahead of a one-sided fence. RVWMO keeps dependent
 * loads in order, so read_barrier_depends stays empty. */
#ifndef ASM_RISCV64_BARRIER_H
#define ASM_RISCV64_BARRIER_H

#define RISCV_FENCE(p, s)   __asm__ __volatile__("fence " #p ", " #s ::: "memory")

#define mb()        RISCV_FENCE(iorw, iorw)
#define rmb()       RISCV_FENCE(ir, ir)
#define wmb()       RISCV_FENCE(ow, ow)

/* dma_rmb/dma_wmb order normal-memory DMA buffers among themselves (the
 * doorbell is ordered by the I/O accessors' own fences); Linux has no
 * RISC-V dma_mb, so include/barrier.h gives asm-generic's: mb(). */
#define dma_rmb()   RISCV_FENCE(r, r)
#define dma_wmb()   RISCV_FENCE(w, w)

#define __smp_mb()  RISCV_FENCE(rw, rw)
#define __smp_rmb() RISCV_FENCE(r, r)
#define __smp_wmb() RISCV_FENCE(w, w)

#define __smp_store_release(p, v) do {                                        \
    _Static_assert(sizeof(*(p)) == 1 || sizeof(*(p)) == 2 ||                  \
                   sizeof(*(p)) == 4 || sizeof(*(p)) == 8, "store_release size"); \
    RISCV_FENCE(rw, w);                                                       \
    WRITE_ONCE(*(p), (v));                                                    \
} while (0)

#define __smp_load_acquire(p) ({                                              \
    _Static_assert(sizeof(*(p)) == 1 || sizeof(*(p)) == 2 ||                  \
                   sizeof(*(p)) == 4 || sizeof(*(p)) == 8, "load_acquire size"); \
    __typeof__(*(p)) ___v = READ_ONCE(*(p));                                  \
    RISCV_FENCE(r, rw);                                                       \
    ___v; })

#endif
