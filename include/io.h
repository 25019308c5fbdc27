/* Memory-mapped I/O accessors in the asm-generic/io.h pattern.
 *
 * The arch supplies __raw_read{b,w,l,q}/__raw_write{b,w,l,q} (single
 * native-endian accesses the compiler cannot merge or reorder among
 * themselves) and four hooks:
 *   __io_br()  before a read        __io_ar(v) after a read (v: value read)
 *   __io_bw()  before a write       __io_aw()  after a write
 * read*()/write*() are little-endian and ordered as memory-barriers.txt
 * says: against each other, against prior normal-memory writes (so a
 * DMA buffer is visible before the doorbell) and reads are complete
 * before later normal reads. *_relaxed() only keep same-device order
 * (on ppc that takes the full barriers: see ARCH_IO_RELAXED_IS_ORDERED).
 */
#ifndef ORDERLY_IO_H
#define ORDERLY_IO_H

#include "compiler.h"
#include <asm/io.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define cpu_to_le16(x) __builtin_bswap16(x)
#define cpu_to_le32(x) __builtin_bswap32(x)
#define cpu_to_le64(x) __builtin_bswap64(x)
#define cpu_to_be16(x) ((uint16_t)(x))
#define cpu_to_be32(x) ((uint32_t)(x))
#define cpu_to_be64(x) ((uint64_t)(x))
#else
#define cpu_to_le16(x) ((uint16_t)(x))
#define cpu_to_le32(x) ((uint32_t)(x))
#define cpu_to_le64(x) ((uint64_t)(x))
#define cpu_to_be16(x) __builtin_bswap16(x)
#define cpu_to_be32(x) __builtin_bswap32(x)
#define cpu_to_be64(x) __builtin_bswap64(x)
#endif
#define le16_to_cpu(x) cpu_to_le16(x)
#define le32_to_cpu(x) cpu_to_le32(x)
#define le64_to_cpu(x) cpu_to_le64(x)
#define be16_to_cpu(x) cpu_to_be16(x)
#define be32_to_cpu(x) cpu_to_be32(x)
#define be64_to_cpu(x) cpu_to_be64(x)

/* An arch whose I/O space does not keep one device's accesses in program
 * order by itself makes the _relaxed forms the ordered ones (ppc: the
 * Power ISA orders guarded loads among themselves and stores among
 * themselves, not a store against a later load; Linux does the same on
 * ppc32). */
#ifdef ARCH_IO_RELAXED_IS_ORDERED
#define __io_rbr()      __io_br()
#define __io_rar(v)     __io_ar(v)
#define __io_rbw()      __io_bw()
#define __io_raw()      __io_aw()
#else
#define __io_rbr()      do { } while (0)
#define __io_rar(v)     do { (void)(v); } while (0)
#define __io_rbw()      do { } while (0)
#define __io_raw()      do { } while (0)
#endif

#define __IO_ACCESSORS(name, sz, bits, conv_in, conv_out)                         \
static inline uint##bits##_t read##name##_relaxed(const volatile void *a)         \
{ uint##bits##_t v; __io_rbr(); v = conv_in(__raw_read##sz(a)); __io_rar(v); return v; } \
static inline void write##name##_relaxed(uint##bits##_t v, volatile void *a)      \
{ __io_rbw(); __raw_write##sz(conv_out(v), a); __io_raw(); }                      \
static inline uint##bits##_t read##name(const volatile void *a)                   \
{ uint##bits##_t v; __io_br(); v = conv_in(__raw_read##sz(a)); __io_ar(v); return v; } \
static inline void write##name(uint##bits##_t v, volatile void *a)                \
{ __io_bw(); __raw_write##sz(conv_out(v), a); __io_aw(); }

#define __io_ident(x) (x)
__IO_ACCESSORS(b, b, 8, __io_ident, __io_ident)
__IO_ACCESSORS(w, w, 16, le16_to_cpu, cpu_to_le16)
__IO_ACCESSORS(l, l, 32, le32_to_cpu, cpu_to_le32)
#ifdef ARCH_HAS_IO64
__IO_ACCESSORS(q, q, 64, le64_to_cpu, cpu_to_le64)
#endif

/* Big-endian registers (ioread32be & co.), same ordering as readl/writel. */
static inline uint32_t ioread32be(const volatile void *a)
{ uint32_t v; __io_br(); v = be32_to_cpu(__raw_readl(a)); __io_ar(v); return v; }
static inline void iowrite32be(uint32_t v, volatile void *a)
{ __io_bw(); __raw_writel(cpu_to_be32(v), a); __io_aw(); }
static inline uint16_t ioread16be(const volatile void *a)
{ uint16_t v; __io_br(); v = be16_to_cpu(__raw_readw(a)); __io_ar(v); return v; }
static inline void iowrite16be(uint16_t v, volatile void *a)
{ __io_bw(); __raw_writew(cpu_to_be16(v), a); __io_aw(); }

/* Registers in the CPU's own byte order (QEMU's DEVICE_NATIVE_ENDIAN
 * devices, such as edu: little-endian on arm64/riscv64, big-endian on
 * ppc), same ordering as readl/writel. */
__IO_ACCESSORS(l_native, l, 32, __io_ident, __io_ident)
#ifdef ARCH_HAS_IO64
__IO_ACCESSORS(q_native, q, 64, __io_ident, __io_ident)
#endif

/* Orders MMIO writes issued under a spinlock before the unlock; every
 * arch here already does that inside writeX() or spin_unlock(), as in
 * current Linux, so the arch may leave it empty. */
#ifndef mmiowb
#define mmiowb() do { } while (0)
#endif

#endif
