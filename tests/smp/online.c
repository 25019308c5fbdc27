/* Every CPU in the device tree came online, and each really runs work. */
#include "arch.h"
#include "percpu.h"
#include "test.h"
#include <stdio.h>

static void topo(char *buf, size_t len, const char *key, int v, size_t *o)
{
    if (v >= 0 && *o < len)
        *o += (size_t)snprintf(buf + *o, len - *o, ", %s: %d", key, v);
}

/* Each CPU as the image uses it: its id, its node, where cpu-map puts it. */
static void describe_cpus(void)
{
    int mapped = 0, sockets = 0, clusters = 0, cores = 0, threads = 0;

    test_yaml("hwid_is: %s", arch_hwid_name());
    test_yaml("cpus:");
    for (int c = 0; c < nr_cpus_possible; c++) {
        const struct cpu_desc *d = &percpu[c].desc;
        char t[96] = "";
        size_t o = 0;
        topo(t, sizeof(t), "socket", d->socket, &o);
        topo(t, sizeof(t), "cluster", d->cluster, &o);
        topo(t, sizeof(t), "core", d->core, &o);
        topo(t, sizeof(t), "thread", d->thread, &o);
        test_yaml("  - {cpu: %d, name: \"%s\", hwid: 0x%llx%s}", c, d->name ? d->name : "?",
                  (unsigned long long)percpu[c].hwid, t);
        mapped += d->core >= 0 || d->thread >= 0;
        sockets = MAX(sockets, d->socket + 1);
        clusters = MAX(clusters, d->cluster + 1);
        cores = MAX(cores, d->core + 1);
        threads = MAX(threads, d->thread + 1);
    }
    if (mapped)
        test_yaml("cpu_map: {cpus: %d, sockets: %d, clusters_per_socket: %d, cores_per_cluster: %d, "
                  "threads_per_core: %d}", mapped, MAX(sockets, 1), MAX(clusters, 1),
                  MAX(cores, 1), MAX(threads, 1));
    else
        test_yaml("cpu_map: none");
}

TEST(smp_online, .name = "smp/online")
{
    int online = num_online_cpus();

    for (int c = 0; c < nr_cpus_possible; c++) {
        struct percpu *pc = &percpu[c];
        if (cpu_state(pc) != CPU_ONLINE)
            test_fail("cpu %d (%s, hwid 0x%llx) is not online: %s", c,
                      pc->desc.name ? pc->desc.name : "?", (unsigned long long)pc->hwid,
                      pc->fail_reason[0] ? pc->fail_reason : "not started");
    }
    int beyond = nr_cpus_dt - nr_cpus_possible;
    if (beyond > 0)
        test_fail("%d of the %d cpus in the device tree are beyond the limit of %d (%s%d): "
                  "not started", beyond, nr_cpus_dt, nr_cpus_limit, nr_cpus_limit_source,
                  nr_cpus_limit);
    test_yaml("start_method: %s", arch_start_method());
    test_yaml("cpus_in_device_tree: %d", nr_cpus_dt);
    test_yaml("cpu_limit: %d", nr_cpus_limit);
    describe_cpus();
    if (beyond > 0)
        test_note("%d of %d cpus: %d beyond the image's limit", online, nr_cpus_dt, beyond);
    else
        test_note("%d of %d cpus", online, nr_cpus_dt);
}

static volatile uint64_t *seen_hwid;   /* per CPU */

static void report_hwid(int idx, void *arg)
{
    (void)arg;
    seen_hwid[idx] = arch_boot_hwid();
}

/* on_cpus() reaches every online CPU, and each is the CPU it claims to be. */
TEST(smp_on_cpus, .name = "smp/work")
{
    int n = num_online_cpus();

    PERCPU_TABLE(seen_hwid);
    for (int i = 0; i < n; i++)
        seen_hwid[i] = ~0ULL;
    if (on_cpus(n, report_hwid, NULL, 2000))
        return;
    for (int i = 0; i < n; i++) {
        int c = on_cpus_cpu(i);
        check(seen_hwid[i] == percpu[c].hwid, "cpu %d reported hwid 0x%llx, expected 0x%llx",
              c, (unsigned long long)seen_hwid[i], (unsigned long long)percpu[c].hwid);
    }
    test_note("%d cpus ran work", n);
}
