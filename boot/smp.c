/* CPU discovery from /cpus, bring-up through the arch's start method, and
 * a secondary's way from its arch entry to the idle loop of on_cpus.c. */
#include "arch.h"
#include "boot.h"
#include "clock.h"
#include "console.h"
#include "cpu.h"
#include "fdt.h"
#include "on_cpus.h"
#include "options.h"
#include "percpu.h"
#include "smp.h"
#include <asm/processor.h>
#include <stdlib.h>
#include <string.h>

static uint8_t *cpu_stacks;     /* nr_cpus_possible stacks, from the heap */
static uint32_t opt_nr_cpus;    /* 0: NR_CPUS */
static int beyond_first = -1;   /* the first CPU node left out by the limit */

OPTION(nr_cpus, "nr_cpus", BOOTARG_U32, &opt_nr_cpus,
       "use at most N cpus, below the build's NR_CPUS (the rest are failures of smp/online)");

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

/* The hwid of a CPU node we could start, or false (said once, when warn). */
static bool cpu_hwid(const void *dtb, int n, uint32_t ac, bool warn, uint64_t *hwid)
{
    int len;
    const void *reg = dt_prop(dtb, n, "reg", &len);

    if (!is_cpu_node(dtb, n) || !cpu_startable(dtb, n))
        return false;
    if (!reg || len < (int)(4 * ac)) {
        if (warn)
            pr_warn("smp: %s has no usable reg; not started\n", dt_name(dtb, n));
        return false;
    }
    *hwid = dt_read_cells(reg, ac);
    return true;
}

static bool limit_lowered(void) { return opt_nr_cpus && opt_nr_cpus < NR_CPUS; }

static int smp_cpu_limit(void) { return limit_lowered() ? (int)opt_nr_cpus : NR_CPUS; }

/* The number in a cpu-map node name ("cluster12" -> 12) if it starts with
 * prefix, else -1. */
static int map_index(const char *name, const char *prefix)
{
    size_t n = strlen(prefix);
    return name && !strncmp(name, prefix, n) && name[n] >= '0' && name[n] <= '9'
               ? (int)strtoul(name + n, NULL, 10) : -1;
}

/* Walk /cpus/cpu-map (Documentation/devicetree/bindings/cpu/cpu-topology):
 * at[] carries socket, cluster, core, thread down to the leaves, whose
 * cpu = <&phandle> names a CPU node. */
static void read_cpu_map(const void *dtb, int node, int at[4])
{
    static const char *const level[4] = { "socket", "cluster", "core", "thread" };
    uint32_t ph;

    if (node < 0)
        return;
    if (dt_prop_u32(dtb, node, "cpu", &ph) == 0) {
        int cpu_node = dt_find_phandle(dtb, ph);
        for (int c = 0; c < nr_cpus_possible; c++) {
            struct cpu_desc *d = &percpu[c].desc;
            if (d->name && d->node == cpu_node) {
                d->socket = at[0];
                d->cluster = at[1];
                d->core = at[2];
                d->thread = at[3];
            }
        }
    }
    for (int n = dt_first_child(dtb, node); n >= 0; n = dt_next_sibling(dtb, n)) {
        int next[4] = { at[0], at[1], at[2], at[3] };
        for (int l = 0; l < 4; l++) {
            int i = map_index(dt_name(dtb, n), level[l]);
            if (i >= 0)
                next[l] = i;
        }
        read_cpu_map(dtb, n, next);
    }
}

/* Count /cpus, size percpu[] and the stacks to what this run will use,
 * then fill it: the boot CPU (matched by hwid) is 0, the others follow in
 * DT order up to the limit. A CPU past the limit is counted, not started. */
void smp_discover(const void *dtb)
{
    int cpus = dtb ? dt_path(dtb, "/cpus") : -1, next = 1, ndt = 0, limit = smp_cpu_limit();
    uint32_t ac = cpus >= 0 ? dt_addr_cells(dtb, cpus) : 1;
    bool boot_found = false, boot_listed = false;
    uint64_t hwid;

    percpu[0].desc.index = 0;
    for (int n = cpus >= 0 ? dt_first_child(dtb, cpus) : -1; n >= 0; n = dt_next_sibling(dtb, n))
        if (cpu_hwid(dtb, n, ac, false, &hwid)) {
            ndt++;
            boot_listed |= hwid == percpu[0].hwid;
        }
    if (!boot_listed)
        ndt++;                  /* the boot CPU runs whatever the tree says */
    percpu_setup(ndt < limit ? ndt : limit);
    nr_cpus_dt = ndt;
    cpu_stacks = percpu_zalloc((size_t)nr_cpus_possible, CPU_STACK_SIZE);
    for (int n = cpus >= 0 ? dt_first_child(dtb, cpus) : -1; n >= 0; n = dt_next_sibling(dtb, n)) {
        if (!cpu_hwid(dtb, n, ac, true, &hwid))
            continue;
        int idx = hwid == percpu[0].hwid && !boot_found ? 0 : next;
        if (idx == 0) {
            boot_found = true;
        } else if (next >= nr_cpus_possible) {
            if (beyond_first < 0)
                beyond_first = n;
            arch_cpu_park_unused(hwid);
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
        d->socket = d->cluster = d->core = d->thread = -1;
        percpu[idx].cpu = idx;
        percpu[idx].hwid = hwid;
    }
    if (!boot_found) {
        if (dtb)
            pr_warn("smp: the boot CPU (hwid 0x%llx) is not in /cpus\n",
                    (unsigned long long)percpu[0].hwid);
        percpu[0].desc.name = "boot-cpu";
        percpu[0].desc.hwid = percpu[0].hwid;
        percpu[0].desc.node = -1;
        percpu[0].desc.socket = percpu[0].desc.cluster = -1;
        percpu[0].desc.core = percpu[0].desc.thread = -1;
    }
    nr_cpus_possible = next;
    if (cpus >= 0)
        read_cpu_map(dtb, dt_path(dtb, "/cpus/cpu-map"), (int[4]){ -1, -1, -1, -1 });
    nr_cpus_limit = limit;
    nr_cpus_limit_source = limit_lowered() ? "bootargs nr_cpus=" : "build NR_CPUS=";
    if (beyond_first >= 0)
        pr_warn("smp: %s and the cpus after it (%d in all) are beyond the image's limit of %d "
                "(%s%d); not started\n", dt_name(dtb, beyond_first),
                nr_cpus_dt - nr_cpus_possible, limit, nr_cpus_limit_source, limit);
}

static void start_one(int i)
{
    struct percpu *pc = &percpu[i];
    char why[96] = "";

    pc->stack_top = (uintptr_t)(cpu_stacks + (size_t)(i + 1) * CPU_STACK_SIZE);
    cpu_state_set(pc, CPU_STARTING);
    if (arch_cpu_start(&pc->desc, pc->stack_top, why, sizeof(why)) != 0)
        cpu_start_failed(pc, "%s", why);
}

/* Each CPU that was started must arrive by the deadline; one that does
 * not is FAILED and, should it turn up later, parks itself. */
static void wait_for_arrivals(void)
{
    unsigned ms = run_options()->smp_timeout_ms;
    uint64_t deadline = arch_counter() + ms_to_ticks(ms);

    for (int i = 1; i < nr_cpus_possible; i++) {
        struct percpu *pc = &percpu[i];
        while (cpu_state(pc) == CPU_STARTING && arch_counter() < deadline)
            cpu_relax();
        cpu_start_failed(pc, "did not arrive within %u ms (bootargs smp_timeout=)", ms);
    }
}

void smp_boot_secondaries(void)
{
    for (int i = 1; i < nr_cpus_possible; i++)
        start_one(i);
    wait_for_arrivals();
}

__noreturn void secondary_main(struct percpu *pc)
{
    arch_set_percpu_ptr(pc);
    arch_irq_init_cpu();
    if (!cpu_state_change(pc, CPU_STARTING, CPU_ONLINE))
        cpu_park();             /* too late: the boot CPU has given up on us */
    on_cpus_idle(pc);
}
