/* riscv64 arch-private definitions shared by the files of this port:
 * CSR bits, the SBI calls, and the facts arch_early_init() gathers. */
#ifndef ARCH_RISCV64_RISCV_H
#define ARCH_RISCV64_RISCV_H

#include "compiler.h"

/* sstatus / sie / sip */
#define SR_SPP          (1UL << 8)
#define IRQ_S_SOFT      1
#define IRQ_S_TIMER     5
#define IRQ_S_EXT       9
#define SCAUSE_IRQ      (1UL << 63)

#define SATP_MODE_SHIFT 60
#define SATP_MODE_BARE  0UL
#define SATP_MODE_SV39  8UL
#define SATP_MODE_SV48  9UL
#define SATP_PPN_MASK   ((1UL << 44) - 1)

/* ---- SBI (v0.2+ calling convention, legacy extensions as fallback) ---- */
struct sbiret { long error; long value; };

#define SBI_EXT_LEGACY_SET_TIMER  0x00
#define SBI_EXT_LEGACY_PUTCHAR    0x01
#define SBI_EXT_LEGACY_SEND_IPI   0x04
#define SBI_EXT_LEGACY_SHUTDOWN   0x08
#define SBI_EXT_BASE    0x10
#define SBI_EXT_TIME    0x54494D45      /* "TIME" */
#define SBI_EXT_IPI     0x735049        /* "sPI" */
#define SBI_EXT_HSM     0x48534D        /* "HSM" */
#define SBI_EXT_SRST    0x53525354      /* "SRST" */

#define SBI_HSM_STARTED         0
#define SBI_HSM_STOPPED         1
#define SBI_HSM_START_PENDING   2
#define SBI_HSM_STOP_PENDING    3
#define SBI_HSM_SUSPENDED       4

struct sbiret sbi_ecall(unsigned long ext, unsigned long fid, unsigned long a0,
                        unsigned long a1, unsigned long a2);
bool sbi_probe(unsigned long ext);
const char *sbi_error_name(long err);
const char *sbi_hsm_state_name(long state);
/* "OpenSBI v1.1 (SBI 1.0)" or similar, filled by riscv_sbi_init(). */
extern char sbi_desc[48];
void riscv_sbi_init(void);

/* ---- what the device tree and the probes said (cpu.c) ---- */
struct riscv_facts {
    uint64_t timebase;          /* Hz */
    bool dt_sv48;               /* /cpus/cpu mmu-type says sv48 */
    bool dt_svpbmt, dt_sstc, dt_zicbom;
    uint32_t cbom_block;        /* riscv,cbom-block-size */
    bool has_hsm, has_time, has_ipi, has_srst;
};
extern struct riscv_facts riscv_facts;

/* head.S: where a started hart enters with its boot slot. */
extern char secondary_entry[];
extern char riscv_pen_entry[];    /* a hart waiting for its boot slot (head.S) */
extern char riscv_park_entry[];   /* a hart parked for good, no stack (head.S) */

/* mmu.c */
void riscv_mmu_choose_mode(void);
void riscv_mmu_enable_secondary(void);
const char *riscv_mmu_mode_name(void);
/* cache.c */
void riscv_cache_init(void);
const char *riscv_cache_desc(void);
/* irq.c */
const char *riscv_timer_desc(void);
void riscv_irq_dispatch(unsigned long code);

#endif
