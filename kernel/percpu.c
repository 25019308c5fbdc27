/* Per-CPU storage and the online-CPU queries (include/percpu.h). */
#include "arch.h"
#include "percpu.h"
#include <malloc.h>
#include <string.h>

/* The boot CPU's state from entry until percpu_setup(): head.S points the
 * per-CPU register here before any C runs. */
struct percpu percpu_boot;
struct percpu *percpu = &percpu_boot;
int nr_cpus_possible = 1;
int nr_cpus_dt = 1;
int nr_cpus_limit = NR_CPUS;
const char *nr_cpus_limit_source = "build NR_CPUS=";

static void (*oom_hook)(size_t bytes);

void percpu_set_oom_hook(void (*hook)(size_t bytes)) { oom_hook = hook; }

void *percpu_zalloc(size_t n, size_t each)
{
    size_t bytes = n * each;
    /* 64: tables that CPUs write side by side keep off each other's lines
     * as far as their element size allows. */
    void *p = each && bytes / each == n ? memalign(64, bytes ? bytes : 1) : NULL;

    if (!p) {
        if (oom_hook)
            oom_hook(bytes);
        arch_halt();
    }
    return memset(p, 0, bytes);
}

void percpu_setup(int n)
{
    struct percpu *all = percpu_zalloc((size_t)n, sizeof(*all));

    all[0] = percpu_boot;
    percpu = all;
    nr_cpus_possible = n;
    arch_set_percpu_ptr(&all[0]);
}

bool cpu_online(int cpu)
{
    return cpu >= 0 && cpu < nr_cpus_possible && cpu_state(&percpu[cpu]) == CPU_ONLINE;
}

int num_online_cpus(void)
{
    int n = 0;

    for (int i = 0; i < nr_cpus_possible; i++)
        n += cpu_state(&percpu[i]) == CPU_ONLINE;
    return n;
}
