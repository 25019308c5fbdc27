/* e500mc / e5500 / e6500 register numbers and bits, shared by the ppc
 * assembly and C files (arch-private: nothing outside arch/ppc includes it).
 * Bit names follow the Power ISA 2.06 Book III-E and the e500mc RM. */
#ifndef ARCH_PPC_PPC_H
#define ARCH_PPC_PPC_H

/* ---- MSR (32-bit mode; MSR[CM] stays 0: this is a 32-bit image) ---- */
#define MSR_CE          0x00020000      /* critical interrupts */
#define MSR_EE          0x00008000      /* external, decrementer, doorbell */
#define MSR_PR          0x00004000
#define MSR_FP          0x00002000
#define MSR_ME          0x00001000      /* machine check enable */
#define MSR_DE          0x00000200
#define MSR_IS          0x00000020      /* instruction address space 1 */
#define MSR_DS          0x00000010      /* data address space 1 */
/* What C code runs with: FP on (newlib saves FP registers), ME on.
 * QEMU (7.2) applies the Book III-S rule "mtmsr does not alter ME" to
 * Book III-E cores too, so ME is set through rfi (SRR1), which works on
 * hardware and in QEMU alike. */
#define MSR_KERNEL      (MSR_ME | MSR_FP)

/* ---- SPRs ---- */
#define SPRN_DEC        22
#define SPRN_SRR0       26
#define SPRN_SRR1       27
#define SPRN_CSRR0      58
#define SPRN_CSRR1      59
#define SPRN_DEAR       61
#define SPRN_ESR        62
#define SPRN_IVPR       63
#define SPRN_SPRG0      272             /* exception scratch (unused today) */
#define SPRN_SPRG1      273
#define SPRN_SPRG2      274             /* this CPU's struct percpu * */
#define SPRN_SPRG3      275
#define SPRN_PIR        286
#define SPRN_PVR        287
#define SPRN_TSR        336
#define SPRN_TCR        340
#define SPRN_IVOR0      400             /* IVOR0..15 = 400..415 */
#define SPRN_IVOR32     528
#define SPRN_IVOR33     529
#define SPRN_IVOR34     530
#define SPRN_IVOR35     531
#define SPRN_IVOR36     532
#define SPRN_IVOR37     533
#define SPRN_IVOR38     432
#define SPRN_IVOR39     433
#define SPRN_IVOR40     434
#define SPRN_IVOR41     435
#define SPRN_L1CFG0     515
#define SPRN_MCSRR0     570
#define SPRN_MCSRR1     571
#define SPRN_MCSR       572
#define SPRN_MCAR       573
#define SPRN_MAS0       624
#define SPRN_MAS1       625
#define SPRN_MAS2       626
#define SPRN_MAS3       627
#define SPRN_MAS4       628
#define SPRN_MAS6       630
#define SPRN_TLB1CFG    689
#define SPRN_MAS7       944
#define SPRN_MMUCSR0    1012
#define SPRN_MMUCFG     1015

/* ---- timer ---- */
#define TCR_DIE         0x04000000      /* decrementer interrupt enable */
#define TCR_ARE         0x00400000      /* auto-reload */
#define TSR_DIS         0x08000000      /* decrementer interrupt status (w1c) */

/* ---- MMU assist registers ---- */
#define MAS0_TLBSEL1    0x10000000
#define MAS0_ESEL(n)    (((n) & 0xfff) << 16)
#define MAS0_ESEL_OF(m) (((m) >> 16) & 0xfff)
#define MAS1_VALID      0x80000000
#define MAS1_IPROT      0x40000000
#define MAS1_TID_MASK   0x3fff0000
#define MAS1_TS         0x00001000
#define MAS1_TSIZE_SHIFT 7
#define MAS1_TSIZE_MASK 0x00000f80      /* page = 1 KiB << TSIZE (even values: 4^n KiB) */
#define MAS2_W          0x10
#define MAS2_I          0x08
#define MAS2_M          0x04
#define MAS2_G          0x02
#define MAS2_E          0x01
#define MAS2_WIMGE      0x1f
#define MAS3_UX         0x20
#define MAS3_SX         0x10
#define MAS3_UW         0x08
#define MAS3_SW         0x04
#define MAS3_UR         0x02
#define MAS3_SR         0x01
#define MAS3_PERM       0x3f
#define MMUCSR0_TLB0FI  0x00000004
#define TLBnCFG_NENTRY  0x00000fff

/* ---- ESR bits worth naming in a report ---- */
#define ESR_PIL         0x08000000      /* illegal instruction */
#define ESR_PPR         0x04000000      /* privileged instruction */
#define ESR_PTR         0x02000000      /* trap */
#define ESR_FP          0x01000000
#define ESR_ST          0x00800000      /* the access was a store */
#define ESR_DLK         0x00200000
#define ESR_BO          0x00020000      /* byte ordering */

/* ---- exception frame (vectors.S <-> cpu.c), offsets from r1 ---- */
#define EF_BACKCHAIN    0
#define EF_LRSAVE       4               /* callee's LR save word (ABI) */
#define EF_GPR          8               /* r0..r31, 4 bytes each */
#define EF_SRR0         136
#define EF_SRR1         140
#define EF_LR           144
#define EF_CR           148
#define EF_CTR          152
#define EF_XER          156
#define EF_ESR          160
#define EF_DEAR         164
#define EF_VEC          168
#define EF_CLASS        172             /* 0 normal (SRR), 1 critical (CSRR), 2 machine check */
#define EF_FPSCR        176             /* 8 bytes */
#define EF_FPR          184             /* f0..f13, 8 bytes each */
#define EF_XSRR0        296             /* SRR0/SRR1 kept across the MSR[ME] rfi */
#define EF_XSRR1        300
#define EF_SIZE         304             /* 16-byte aligned */
/* Below the interrupted r1 we leave this much untouched before the frame:
 * the 32-bit SVR4 ABI has no red zone, but the gap costs nothing. */
#define EF_GAP          256

#ifndef __ASSEMBLY__
#include <stdint.h>

struct ppc_frame {
    uint32_t backchain, lrsave;
    uint32_t gpr[32];
    uint32_t srr0, srr1, lr, cr, ctr, xer, esr, dear, vec, cls;
    uint64_t fpscr;
    uint64_t fpr[14];
    uint32_t xsrr0, xsrr1;
};
_Static_assert(sizeof(struct ppc_frame) == EF_SIZE, "frame layout");
_Static_assert(__builtin_offsetof(struct ppc_frame, srr0) == EF_SRR0, "frame layout");
_Static_assert(__builtin_offsetof(struct ppc_frame, fpscr) == EF_FPSCR, "frame layout");

#define __stringify_1(x) #x
#define __stringify(x) __stringify_1(x)
#define mfspr(n) ({ uint32_t __v; __asm__ __volatile__("mfspr %0, " __stringify(n) : "=r"(__v)); __v; })
/* The rlwinm zero-extends the value on the 64-bit cores (e5500/e6500 in
 * 32-bit mode keep 64-bit GPRs, and lis sign-extends); a no-op on e500mc. */
#define mtspr(n, v) do {                                                     \
    uint32_t __t = (uint32_t)(v);                                            \
    __asm__ __volatile__("rlwinm %0,%0,0,0,31\n\tmtspr " __stringify(n) ",%0" \
                         : "+r"(__t) :: "memory");                           \
} while (0)

static inline uint32_t mfmsr(void)
{ uint32_t v; __asm__ __volatile__("mfmsr %0" : "=r"(v)); return v; }

/* One TLB1 entry as tlbwe takes it (MAS0 is chosen by the writer). */
struct tlb1_entry { uint32_t mas1, mas2, mas3, mas7; };

/* head.S: rebuild this CPU's TLB1 from tab[0..n) without losing the page
 * the code runs from (through a temporary AS1 copy of it). Returns 0, or
 * a negative code: -1 the running code is not mapped by a TLB1 entry, -2 n
 * does not fit TLB1. Interrupts must be off. */
int ppc_tlb1_switch(const struct tlb1_entry *tab, unsigned n);
/* head.S: IVPR/IVORs for this CPU. */
void ppc_set_vectors(void);
extern char ppc_wait_insn[];
/* head.S: where a released secondary starts; a CPU stopping for good. */
extern char ppc_secondary_entry[];
__noreturn void ppc_halt(void);
/* cache.c: the data cache line (the DT's d-cache-line-size wins). */
extern size_t ppc_dcache_line;

/* arch-private, between the ppc C files */
uint64_t ppc_ccsr_phys(void);
int ppc_mmu_early(const void *dtb);
void ppc_mmu_secondary_table(const struct tlb1_entry **tab, unsigned *n);
int ppc_mmu_ensure(uint64_t phys, uint64_t size, int device);
uintptr_t ppc_unmapped_va(void);
void ppc_irq_dispatch(struct ppc_frame *f);
void ppc_irq_early_init(const void *dtb);
unsigned ppc_tlb1_entries(void);
#endif

#endif
