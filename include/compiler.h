/* Compiler-level primitives shared by every arch (no instructions here). */
#ifndef ORDERLY_COMPILER_H
#define ORDERLY_COMPILER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A compiler barrier: no memory access moves across it, and no value is
 * kept in a register across it. A signal fence is exactly that to GCC and
 * emits no instruction (and keeps asm inside arch/). */
#define barrier()       __atomic_signal_fence(__ATOMIC_SEQ_CST)
#define likely(x)       __builtin_expect(!!(x), 1)
#define unlikely(x)     __builtin_expect(!!(x), 0)
#define __used          __attribute__((used))
#define __aligned(n)    __attribute__((aligned(n)))
#define __noreturn      __attribute__((noreturn))
#define __section(s)    __attribute__((section(s)))
#define __maybe_unused  __attribute__((unused))
#define ARRAY_SIZE(a)   (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)  (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define MIN(a, b)       ((a) < (b) ? (a) : (b))
#define MAX(a, b)       ((a) > (b) ? (a) : (b))
#define container_of(p, type, member) \
    ((type *)((char *)(p) - offsetof(type, member)))

/* READ_ONCE/WRITE_ONCE: one access of exactly the object's size, never torn,
 * merged, or invented by the compiler. Scalars only, as in the kernel. */
#define __READ_ONCE_PTR(x)  ((const volatile __typeof__(x) *)&(x))
#define READ_ONCE(x)        (*__READ_ONCE_PTR(x))
#define WRITE_ONCE(x, val)  do { *(volatile __typeof__(x) *)&(x) = (val); } while (0)
#define ACCESS_ONCE(x)      (*(volatile __typeof__(x) *)&(x))

#define BUILD_BUG_ON(cond)  _Static_assert(!(cond), #cond)

#endif
