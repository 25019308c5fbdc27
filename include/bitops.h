/* Bit operations on unsigned long arrays, with memory-barriers.txt's
 * ordering: set_bit/clear_bit/change_bit unordered; test_and_* fully
 * ordered; test_and_set_bit_lock ACQUIRE; clear_bit_unlock RELEASE.
 * Non-atomic __set_bit/__clear_bit for data nobody else touches. */
#ifndef ORDERLY_BITOPS_H
#define ORDERLY_BITOPS_H

#include "atomic.h"

#define BITS_PER_LONG   (8 * (int)sizeof(long))
#define BIT_WORD(nr)    ((nr) / BITS_PER_LONG)
#define BIT_MASK(nr)    (1UL << ((nr) % BITS_PER_LONG))

static inline unsigned long *__bit_word(unsigned long *addr, unsigned nr)
{ return addr + BIT_WORD(nr); }

static inline void set_bit(unsigned nr, unsigned long *addr)
{ (void)arch_fetch_or_long_relaxed(__bit_word(addr, nr), BIT_MASK(nr)); }
static inline void clear_bit(unsigned nr, unsigned long *addr)
{ (void)arch_fetch_and_long_relaxed(__bit_word(addr, nr), ~BIT_MASK(nr)); }
static inline void change_bit(unsigned nr, unsigned long *addr)
{ (void)arch_fetch_xor_long_relaxed(__bit_word(addr, nr), BIT_MASK(nr)); }

static inline bool test_and_set_bit(unsigned nr, unsigned long *addr)
{ return arch_fetch_or_long_fence(__bit_word(addr, nr), BIT_MASK(nr)) & BIT_MASK(nr); }
static inline bool test_and_clear_bit(unsigned nr, unsigned long *addr)
{ return arch_fetch_and_long_fence(__bit_word(addr, nr), ~BIT_MASK(nr)) & BIT_MASK(nr); }
static inline bool test_and_change_bit(unsigned nr, unsigned long *addr)
{ return arch_fetch_xor_long_fence(__bit_word(addr, nr), BIT_MASK(nr)) & BIT_MASK(nr); }

static inline bool test_and_set_bit_lock(unsigned nr, unsigned long *addr)
{ return arch_fetch_or_long_acquire(__bit_word(addr, nr), BIT_MASK(nr)) & BIT_MASK(nr); }
static inline void clear_bit_unlock(unsigned nr, unsigned long *addr)
{ (void)arch_fetch_and_long_release(__bit_word(addr, nr), ~BIT_MASK(nr)); }

static inline bool test_bit(unsigned nr, const unsigned long *addr)
{ return (READ_ONCE(addr[BIT_WORD(nr)]) & BIT_MASK(nr)) != 0; }
static inline void __set_bit(unsigned nr, unsigned long *addr)   { addr[BIT_WORD(nr)] |= BIT_MASK(nr); }
static inline void __clear_bit(unsigned nr, unsigned long *addr) { addr[BIT_WORD(nr)] &= ~BIT_MASK(nr); }

#endif
