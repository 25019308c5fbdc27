/* Per-CPU state: one struct percpu per CPU the device tree lists (up to
 * the image's limit), the boot CPU first, allocated at boot once /cpus has
 * been counted. Shared fields are plain and accessed with READ_ONCE/
 * WRITE_ONCE (or the atomics) where another CPU may touch them. */
#ifndef ORDERLY_PERCPU_H
#define ORDERLY_PERCPU_H

#include "compiler.h"
#include <asm/processor.h>
#include <atomic.h>
#include <setjmp.h>

/* The build's cap (Makefile NR_CPUS=): a safety bound on what a device
 * tree may ask for, not a table size; the heap is sized to hold it. */
#ifndef NR_CPUS
#define NR_CPUS 512
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
    /* Where /cpus/cpu-map puts it (socketN/clusterN/coreN/threadN; the
     * innermost cluster if they nest); -1 where the map says nothing. */
    int socket, cluster, core, thread;
};

/* Why the CPU is where it is; printed in reports. */
/* GOING_OFF: asked to turn itself off (cpu_down); OFF: it did, and may be
 * turned on again (cpu_up: OFF -> STARTING -> ONLINE). */
enum cpu_state { CPU_ABSENT, CPU_STARTING, CPU_ONLINE, CPU_FAILED, CPU_LOST, CPU_GOING_OFF,
                 CPU_OFF };

struct exc_record;

struct percpu {
    int cpu;
    uint64_t hwid;
    struct cpu_desc desc;
    atomic_t state;             /* enum cpu_state: cpu_state(), cpu_state_change() */
    uintptr_t stack_top;
    char fail_reason[96];

    /* work dispatch (runner/on_cpus.c): the CPU runs fn when work_seq
     * moves past done_seq (release/acquire on the two sequence numbers) */
    void (*work_fn)(int idx, void *arg);
    void *work_arg;
    int work_idx;
    unsigned work_seq, done_seq;
    unsigned work_faults;       /* work that ended in an exception */

    /* exception recovery (kernel/exceptions.c) */
    jmp_buf *recover;           /* where a fault in a test returns to */
    jmp_buf *probe;             /* set by try_call(): fault is expected */
    struct exc_record *probe_out;
    int exc_depth;

    /* interrupts (kernel/irq.c) */
    unsigned long timer_irqs, ipis;
    uint64_t user_deadline, watchdog_deadline;   /* 0 = none */
    void (*timer_hook)(void);
    void (*ipi_hook)(void);
};

/* percpu[0 .. nr_cpus_possible): before percpu_setup() only the boot CPU's,
 * a static one (entry code and the console need it before the heap). */
extern struct percpu *percpu;
extern int nr_cpus_possible;    /* CPUs this run uses: the DT's, up to the limit */
extern int nr_cpus_dt;          /* CPUs the device tree lists (startable ones) */
extern int nr_cpus_limit;       /* how many the image may use ... */
extern const char *nr_cpus_limit_source;  /* ... set by "build NR_CPUS=" or "bootargs nr_cpus=" */

/* Size percpu[] for n CPUs (the boot CPU's state carried over); once, on
 * the boot CPU, before any other CPU or per-CPU table exists. */
void percpu_setup(int n);
/* n zeroed elements of `each` bytes, for every per-CPU table sized by
 * nr_cpus_possible; there is no way on without it, so none is returned
 * on failure (the run ends, saying why). */
void *percpu_zalloc(size_t n, size_t each);
/* A table of one element per CPU, allocated on first use: PERCPU_TABLE(p). */
/* What percpu_zalloc() does when the heap is out (the boot flow says so
 * and ends the run; the heap is sized for NR_CPUS, so this is a build bug). */
void percpu_set_oom_hook(void (*hook)(size_t bytes));
#define PERCPU_TABLE(p) ({                                                      \
    if (!(p))                                                                  \
        (p) = percpu_zalloc((size_t)nr_cpus_possible, sizeof(*(p)));           \
    (p); })

static inline struct percpu *this_cpu(void) { return (struct percpu *)arch_percpu_ptr(); }
static inline int smp_processor_id(void) { return this_cpu()->cpu; }

static inline enum cpu_state cpu_state(const struct percpu *pc)
{
    return (enum cpu_state)atomic_read(&pc->state);
}
static inline void cpu_state_set(struct percpu *pc, enum cpu_state s)
{
    atomic_set(&pc->state, (int)s);
}
/* from -> to if the CPU is still in `from` (a late CPU and the boot CPU
 * giving up on it race for the same transition); true if this call won. */
static inline bool cpu_state_change(struct percpu *pc, enum cpu_state from, enum cpu_state to)
{
    return atomic_cmpxchg(&pc->state, (int)from, (int)to) == (int)from;
}

bool cpu_online(int cpu);
int num_online_cpus(void);

#endif
