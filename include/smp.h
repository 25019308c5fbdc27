/* Per-CPU state and the CPU bring-up contract between boot/ and arch/. */
#ifndef ORDERLY_SMP_H
#define ORDERLY_SMP_H

#include "compiler.h"
#include <setjmp.h>

#ifndef NR_CPUS
#define NR_CPUS 16
#endif
#define CPU_STACK_SIZE (16 * 1024)

/* One CPU as the device tree describes it. */
struct cpu_desc {
    int index;                  /* logical id: 0 = boot CPU, then DT order */
    uint64_t hwid;              /* reg: MPIDR affinity / hartid / PIR */
    int node;                   /* DT node offset */
    const char *name;           /* DT node name, e.g. "cpu@2" */
    const char *enable_method;  /* DT string or NULL */
    uint64_t release_addr;      /* cpu-release-addr, valid if has_release_addr */
    bool has_release_addr;
};

/* Why the CPU is where it is; printed in reports. */
enum cpu_state { CPU_ABSENT, CPU_STARTING, CPU_ONLINE, CPU_FAILED, CPU_LOST };

struct exc_record;

struct percpu {
    int cpu;
    uint64_t hwid;
    struct cpu_desc desc;
    volatile enum cpu_state state;
    uintptr_t stack_top;
    char fail_reason[96];

    /* work dispatch (boot/run.c): the CPU runs fn when seq changes */
    void (*volatile work_fn)(int idx, void *arg);
    void *volatile work_arg;
    volatile int work_idx;
    volatile unsigned work_seq, done_seq;

    /* exception recovery (boot/exceptions.c) */
    jmp_buf *volatile recover;      /* where a fault in a test returns to */
    jmp_buf *volatile probe;        /* set by try_call(): fault is expected */
    struct exc_record *volatile probe_out;
    volatile int exc_depth;

    /* interrupts (boot/irq.c) */
    volatile uint64_t timer_irqs, ipis;
    volatile uint64_t user_deadline, watchdog_deadline;   /* 0 = none */
    void (*volatile timer_hook)(void);
};

extern struct percpu percpu[NR_CPUS];
extern int nr_cpus_possible;     /* CPUs in the device tree (capped at NR_CPUS) */

struct percpu *this_cpu(void);
int smp_processor_id(void);
int num_online_cpus(void);
bool cpu_online(int cpu);
void cpu_mark_lost(int cpu, const char *why);

/* Boot CPU: discover /cpus, start every other CPU, wait (with a timeout)
 * for each to arrive. */
void smp_boot_secondaries(const void *dtb);
/* Entered by each secondary (from arch code) with the MMU on and its stack
 * set; never returns. */
__noreturn void secondary_main(struct percpu *pc);

#endif
