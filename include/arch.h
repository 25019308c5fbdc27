/* The out-of-line half of the arch contract (DESIGN.md section 3): what
 * boot/ and tests/ call, and arch/<arch>/ implements. The inline half lives
 * in arch/<arch>/include/asm/ (barrier, atomic, io, irqflags, processor). */
#ifndef ORDERLY_ARCH_H
#define ORDERLY_ARCH_H

#include "compiler.h"

struct cpu_desc;
struct exc_info;
struct exc_regs;

/* ---- identity and time ---- */
const char *arch_name(void);                 /* "arm64", "riscv64", "ppc" */
/* One line of facts for the TAP header, e.g. "el=1 start=psci-hvc". */
void arch_describe(char *buf, size_t len);
uint64_t arch_counter(void);                 /* free-running, all CPUs agree */
uint64_t arch_counter_freq(void);            /* Hz */
uint64_t arch_boot_hwid(void);               /* hardware id of the calling CPU */
const char *arch_hwid_name(void);            /* what that id is: "mpidr", "hartid", "pir" */

/* ---- early platform setup, called once on the boot CPU with the DTB ---- */
void arch_early_init(const void *dtb);

/* ---- MMU ---- */
enum mem_type { MEM_NORMAL, MEM_DEVICE };
/* Identity-map [phys, phys + size). Returns 0, or -1 with a reason printed
 * (out of table space, beyond the physical address range). */
int arch_mmu_map(uint64_t phys, uint64_t size, enum mem_type type);
void arch_mmu_enable(void);                  /* on the calling CPU */
/* The virtual address at which phys is (or will be, once arch_mmu_map has
 * mapped it) visible to C. Identity on arm64 and riscv64; a 32-bit ppc
 * image reaches 36-bit physical CCSR/PCI through 256 MiB slots at
 * 0xC000_0000-0xFFFF_FFFF (CCSR's fixed at 0xE000_0000, the others given
 * out on first use, so the answer is stable for the rest of the run).
 * Generic code never dereferences a DT physical address without it, and
 * arch_mmu_map/arch_mmu_query callers pass what it returns for queries. */
uintptr_t arch_phys_to_virt(uint64_t phys);

/* What the live translation for va says, read back from the tables (and
 * from the hardware where the arch can ask it). */
struct mem_attr {
    bool mapped;
    enum mem_type type;      /* as decoded from the attributes */
    bool exec;               /* executable at the image's privilege */
    bool writable;
    bool shareable;          /* coherent / inner-shareable */
    bool hw_agrees;          /* a hardware translation (AT/tlbre...) gave the same */
    uint64_t raw;            /* the descriptor or TLB word(s), for the report */
    char desc[96];           /* human-readable, e.g. "Normal WB RW XN ISH (L2 block)" */
};
void arch_mmu_query(uint64_t va, struct mem_attr *out);
/* Does `a` have exactly the attributes the image maps `type` with?
 * On failure writes what is wrong into why. */
bool arch_mem_attr_ok(const struct mem_attr *a, enum mem_type type, char *why, size_t len);
/* Platforms where page tables cannot mark device memory (e.g. RISC-V
 * without Svpbmt): a sentence saying so, else NULL. */
const char *arch_mem_attr_caveat(void);

/* ---- secondary CPUs ---- */
/* What the firmware says, in the same words for every arch (PSCI and SBI
 * HSM codes mapped; the firmware's own name is in the reason string). */
#define CPU_ERR_FAILED          (-1)    /* anything else */
#define CPU_ERR_INVALID         (-2)    /* PSCI INVALID_PARAMETERS, SBI INVALID_PARAM */
#define CPU_ERR_ALREADY_ON      (-3)    /* PSCI ALREADY_ON, SBI ALREADY_AVAILABLE */
#define CPU_ERR_NOT_SUPPORTED   (-4)
/* Start cpu (desc from the device tree) at the generic secondary entry with
 * the given stack top; 0 when the start request was accepted, else a
 * CPU_ERR_* with a reason in why. The same call turns a CPU that
 * arch_cpu_off() stopped back on. desc->index < 0: only ask the firmware
 * (no boot slot is written), for probing how it answers a bad hwid. */
int arch_cpu_start(const struct cpu_desc *cpu, uintptr_t stack_top, char *why, size_t len);

/* Turning CPUs off and on again, where the firmware can. */
enum cpu_power { CPU_POWER_ON, CPU_POWER_OFF, CPU_POWER_ON_PENDING, CPU_POWER_OFF_PENDING };
/* Can a started CPU be turned off and on again here? If not, false and why. */
bool arch_cpu_power_supported(char *why, size_t len);
/* The firmware's view of the CPU with this hwid (PSCI AFFINITY_INFO, SBI
 * hart_get_status): an enum cpu_power, or a CPU_ERR_* (why says more). */
int arch_cpu_power_state(uint64_t hwid, char *why, size_t len);
/* The calling CPU turns itself off (PSCI CPU_OFF, SBI hart_stop), with
 * interrupts masked; returns only if the firmware refused (a CPU_ERR_*). */
int arch_cpu_off(char *why, size_t len);
/* A CPU the image will not use (beyond its limit): wherever the firmware
 * keeps it costs the host nothing, or the arch parks it where it does
 * (riscv64: a hart stopped in OpenSBI spins a host thread under QEMU). */
void arch_cpu_park_unused(uint64_t hwid);
/* A short name of the start method actually used, e.g. "psci-hvc". */
const char *arch_start_method(void);

/* ---- interrupts ---- */
int arch_irq_init(const void *dtb, char *why, size_t len);   /* boot CPU: controller */
void arch_irq_init_cpu(void);                                /* every CPU */
void arch_timer_arm(uint64_t ticks_from_now);                /* one shot, this CPU */
void arch_timer_cancel(void);
void arch_send_ipi(int cpu);                                 /* logical cpu */
const char *arch_irq_controller(void);                       /* "gicv2" ... */
/* A device interrupt as the DT names it: the specifier (the controller
 * node's #interrupt-cells cells) of controller node `ctrl`. Configure it
 * (trigger from the specifier), route it to the calling CPU and enable
 * it; returns the id the arch's dispatcher hands irq_device() for it, or
 * a negative code with a reason (not this arch's controller, a line it
 * cannot route). */
int arch_irq_enable_line(const void *dtb, int ctrl, const uint32_t *spec, unsigned cells,
                         char *why, size_t len);
void arch_irq_disable_line(unsigned id);
/* A message-signalled interrupt from MSI controller node `ctrl` (a PCI
 * host's msi-parent) to the calling CPU, enabled: the address and data a
 * device writes to raise it, and the id the dispatcher hands irq_device().
 * Negative with a reason where the arch has no MSI support for it. */
int arch_msi_alloc(const void *dtb, int ctrl, uint64_t *addr, uint32_t *data, char *why,
                   size_t len);
/* The interrupt mask as the hardware holds it, read with the arch's own
 * instruction here rather than through asm/irqflags.h, so that a test can
 * hold the generic irqs_disabled() against it: true when this CPU takes
 * no interrupts (DAIF.I set, sstatus.SIE clear, MSR[EE] clear). *raw gets
 * the whole register for the report; arch_irq_mask_bit() names the bit. */
bool arch_irqs_masked_hw(unsigned long *raw);
const char *arch_irq_mask_bit(void);                         /* "DAIF.I" ... */
/* Which of this CPU's timer and IPI are pending at the controller (and so
 * taken as soon as interrupts are on), as IRQ_SRC_* bits; *visible gets
 * the sources whose pending state the hardware shows at all (a ppc
 * doorbell keeps none that software can read). */
#define IRQ_SRC_TIMER   1u
#define IRQ_SRC_IPI     2u
unsigned arch_irq_pending(unsigned *visible);

/* ---- exceptions ---- */
/* The arch registers of an exception, in report order, each added with
 * exc_reg() (include/exception.h): ESR/ELR/FAR, scause/sepc/stval,
 * SRR0/SRR1/ESR/DEAR, with what they decode to. */
void arch_exc_regs(const struct exc_info *e, struct exc_regs *out);
/* Trigger a synchronous data fault at addr (for the exception self-test). */
void arch_fault_at(uintptr_t addr);
/* An address no mapping covers, so that arch_fault_at() faults. */
uintptr_t arch_unmapped_addr(void);

/* ---- end of run (kernel/exit.c, after the device tree's exit devices) ---- */
/* The arch's own way to end the run with this status (arm64 semihosting);
 * returns if there is none or it did not work. */
void arch_exit(int status);
/* The arch's own power-off (PSCI SYSTEM_OFF, SBI SRST: the host sees 0;
 * status is passed on where the method carries a reason); returns if
 * there is none. */
void arch_poweroff(int status);
__noreturn void arch_halt(void);

#endif
