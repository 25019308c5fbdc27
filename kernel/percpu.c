/* Per-CPU storage and the online-CPU queries (include/percpu.h). */
#include "percpu.h"

struct percpu percpu[NR_CPUS];
int nr_cpus_possible = 1;

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
