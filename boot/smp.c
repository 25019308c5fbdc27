/* CPU discovery from /cpus, bring-up through the arch's start method, and
 * the secondaries' idle loop. */
#include "arch.h"
#include "boot.h"
#include "console.h"
#include "fdt.h"
#include "irq.h"
#include "smp.h"
#include <asm/processor.h>
#include <atomic.h>
#include <irqflags.h>
#include <string.h>
#include <stdio.h>

struct percpu percpu[NR_CPUS];
int nr_cpus_possible = 1;
static uint8_t cpu_stacks[NR_CPUS][CPU_STACK_SIZE] __aligned(16);
unsigned smp_timeout_ms = 5000;

struct percpu *this_cpu(void) { return (struct percpu *)arch_percpu_ptr(); }
int smp_processor_id(void) { return this_cpu()->cpu; }
bool cpu_online(int cpu) { return cpu >= 0 && cpu < nr_cpus_possible && percpu[cpu].state == CPU_ONLINE; }

int num_online_cpus(void)
{
    int n = 0;
    for (int i = 0; i < nr_cpus_possible; i++)
        n += percpu[i].state == CPU_ONLINE;
    return n;
}

void cpu_mark_lost(int cpu, const char *why)
{
    struct percpu *pc = &percpu[cpu];
    if (pc->state == CPU_LOST)
        return;
    snprintf(pc->fail_reason, sizeof(pc->fail_reason), "%s", why);
    pc->state = CPU_LOST;
    pr("# cpu %d (%s) lost: %s\n", cpu, pc->desc.name ? pc->desc.name : "?", why);
}

static bool is_cpu_node(const void *dtb, int node)
{
    const char *type = dt_prop_str(dtb, node, "device_type");
    return type && !strcmp(type, "cpu");
}

/* ePAPR: a secondary waiting in its spin table is status = "disabled" with
 * an enable-method; that CPU is ours to start. */
static bool cpu_startable(const void *dtb, int node)
{
    const char *status = dt_prop_str(dtb, node, "status");
    return dt_is_available(dtb, node) ||
           (status && !strcmp(status, "disabled") && dt_has_prop(dtb, node, "enable-method"));
}

/* Fill percpu[] from /cpus: the boot CPU (matched by hwid) is 0. */
static void discover(const void *dtb)
{
    int cpus = dt_path(dtb, "/cpus"), next = 1;
    uint32_t ac = cpus >= 0 ? dt_addr_cells(dtb, cpus) : 1;
    bool boot_found = false;

    for (int n = cpus >= 0 ? dt_first_child(dtb, cpus) : -1; n >= 0; n = dt_next_sibling(dtb, n)) {
        int len;
        const void *reg = dt_prop(dtb, n, "reg", &len);
        if (!is_cpu_node(dtb, n) || !cpu_startable(dtb, n))
            continue;
        if (!reg || len < (int)(4 * ac)) {
            pr_warn("smp: %s has no usable reg; not started\n", dt_name(dtb, n));
            continue;
        }
        uint64_t hwid = dt_read_cells(reg, ac);
        int idx = hwid == percpu[0].hwid && !boot_found ? 0 : next;
        if (idx == 0) {
            boot_found = true;
        } else if (next >= NR_CPUS) {
            pr_warn("smp: %s beyond NR_CPUS=%d; not started\n", dt_name(dtb, n), NR_CPUS);
            continue;
        } else {
            next++;
        }
        struct cpu_desc *d = &percpu[idx].desc;
        d->index = idx;
        d->hwid = hwid;
        d->node = n;
        d->name = dt_name(dtb, n);
        d->enable_method = dt_prop_str(dtb, n, "enable-method");
        d->has_release_addr = dt_prop_u64(dtb, n, "cpu-release-addr", &d->release_addr) == 0;
        percpu[idx].cpu = idx;
        percpu[idx].hwid = hwid;
    }
    if (!boot_found) {
        pr_warn("smp: the boot CPU (hwid 0x%llx) is not in /cpus\n", (unsigned long long)percpu[0].hwid);
        percpu[0].desc.name = "boot-cpu";
        percpu[0].desc.hwid = percpu[0].hwid;
    }
    nr_cpus_possible = next;
}

static void start_one(int i)
{
    struct percpu *pc = &percpu[i];
    char why[96] = "";

    pc->stack_top = (uintptr_t)&cpu_stacks[i][CPU_STACK_SIZE];
    pc->state = CPU_STARTING;
    if (arch_cpu_start(&pc->desc, pc->stack_top, why, sizeof(why)) != 0) {
        pc->state = CPU_FAILED;
        snprintf(pc->fail_reason, sizeof(pc->fail_reason), "%s", why);
    }
}

/* Each CPU that was started must arrive by the deadline; one that does
 * not is FAILED and, should it turn up later, parks itself. */
static void wait_for_arrivals(void)
{
    uint64_t deadline = arch_counter() + ms_to_ticks(smp_timeout_ms);

    for (int i = 1; i < nr_cpus_possible; i++) {
        struct percpu *pc = &percpu[i];
        while (READ_ONCE(pc->state) == CPU_STARTING && arch_counter() < deadline)
            cpu_relax();
        if (cmpxchg((int *)&pc->state, CPU_STARTING, CPU_FAILED) == CPU_STARTING)
            snprintf(pc->fail_reason, sizeof(pc->fail_reason),
                     "did not arrive within %u ms (bootargs smp_timeout=)", smp_timeout_ms);
    }
}

void smp_boot_secondaries(const void *dtb)
{
    percpu[0].desc.index = 0;
    if (!dtb) {
        percpu[0].desc.name = "boot-cpu";
        return;
    }
    discover(dtb);
    for (int i = 1; i < nr_cpus_possible; i++)
        start_one(i);
    wait_for_arrivals();
}

static void run_work(struct percpu *pc);

__noreturn void secondary_main(struct percpu *pc)
{
    arch_set_percpu_ptr(pc);
    arch_irq_init_cpu();
    if (cmpxchg((int *)&pc->state, CPU_STARTING, CPU_ONLINE) != CPU_STARTING) {
        /* Too late: the boot CPU has given up on us. Stay out of the way. */
        local_irq_disable();
        for (;;)
            arch_wfi();
    }
    for (;;) {
        /* Sleep until an IPI announces work; the IPI stays pending while
         * interrupts are masked, so checking then waiting cannot miss it. */
        local_irq_disable();
        if (READ_ONCE(pc->work_seq) == pc->done_seq && pc->state == CPU_ONLINE)
            arch_wfi();
        local_irq_enable();
        if (pc->state != CPU_ONLINE) {
            local_irq_disable();
            for (;;)
                arch_wfi();
        }
        if (virt_load_acquire(&pc->work_seq) != pc->done_seq)
            run_work(pc);
    }
}

int work_fault_count[NR_CPUS];

/* One piece of work from on_cpus(); a fault inside it comes back here. */
static void run_work(struct percpu *pc)
{
    jmp_buf jb;
    unsigned seq = pc->work_seq;

    if (setjmp(jb) == 0) {
        pc->recover = &jb;
        pc->work_fn(pc->work_idx, pc->work_arg);
    } else {
        work_fault_count[pc->cpu]++;
    }
    pc->recover = NULL;
    local_irq_disable();
    timer_set_user(0);
    virt_store_release(&pc->done_seq, seq);
}
