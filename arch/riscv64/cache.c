/* riscv64 data-cache maintenance by VA. Zicbom (cbo.clean/inval/flush)
 * where the hart has it and the firmware allows it in S-mode; otherwise the
 * platform is cache-coherent for DMA (QEMU virt: dma-coherent) and the
 * operations reduce to ordering: fence rw,rw. */
#include "cache.h"
#include "compiler.h"
#include "console.h"
#include "exception.h"
#include "riscv.h"

static bool zicbom;
static size_t line = 64;

/* cbo.* rs1: MISC-MEM opcode, funct3 2, imm selects the operation. */
#define CBO(op, addr) \
    __asm__ __volatile__(".insn i 0x0f, 2, x0, %0, " #op :: "r"(addr) : "memory")
#define CBO_INVAL 0
#define CBO_CLEAN 1
#define CBO_FLUSH 2

static void probe_cbo(void *p) { CBO(1, p); }

void riscv_cache_init(void)
{
    struct exc_record rec;
    static uint64_t probe_line[8] __aligned(64);

    if (riscv_facts.cbom_block)
        line = riscv_facts.cbom_block;
    if (!riscv_facts.dt_zicbom)
        return;
    if (!try_call(probe_cbo, probe_line, &rec))
        zicbom = true;
    else
        pr_warn("cache: riscv,isa lists zicbom but cbo.clean traps (%s); treating DMA as coherent\n",
                rec.kind);
}

const char *riscv_cache_desc(void) { return zicbom ? "zicbom" : "coherent"; }

size_t dcache_line_size(void) { return line; }

#define DC_RANGE(fn, op)                                                     \
void fn(const void *start, size_t len)                                       \
{                                                                            \
    __asm__ __volatile__("fence rw, rw" ::: "memory");                       \
    if (zicbom) {                                                            \
        uintptr_t p = ALIGN_DOWN((uintptr_t)start, line), end = (uintptr_t)start + len; \
        for (; p < end; p += line)                                           \
            CBO(op, p);                                                      \
        __asm__ __volatile__("fence rw, rw" ::: "memory");                   \
    }                                                                        \
}

DC_RANGE(dcache_clean_range, 1)
DC_RANGE(dcache_inval_range, 0)
DC_RANGE(dcache_clean_inval_range, 2)
