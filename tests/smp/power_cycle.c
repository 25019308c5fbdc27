/* Every secondary off and on again, smp.power_cycles times, through the
 * firmware (PSCI CPU_OFF / CPU_ON on arm64, SBI HSM hart_stop / hart_start
 * on riscv64), each time running work; and what the firmware must answer,
 * as TF-A's PSCI tests check it: ON for a running CPU, OFF after CPU_OFF,
 * ON after CPU_ON, ALREADY_ON for CPU_ON of a running CPU, INVALID for an
 * id that is no CPU. A spin table (ppc) cannot take a CPU back: a SKIP that
 * says so. Hidden control: a CPU that is never turned on again must fail
 * the test by name. */
#include "arch.h"
#include "clock.h"
#include "cpu.h"
#include "options.h"
#include "percpu.h"
#include "test.h"

#define OFF_TIMEOUT_MS 1000

static uint32_t opt_cycles = 3;
OPTION(smp_power_cycles, "smp.power_cycles", BOOTARG_U32, &opt_cycles,
       "smp/power-cycle: how many times every secondary is turned off and on (default 3)");

static volatile uint64_t *ran_hwid;        /* per on_cpus index */

static void report_hwid(int idx, void *arg)
{
    (void)arg;
    ran_hwid[idx] = arch_boot_hwid();
}

static const char *power_name(int s)
{
    switch (s) {
    case CPU_POWER_ON: return "ON";
    case CPU_POWER_OFF: return "OFF";
    case CPU_POWER_ON_PENDING: return "ON_PENDING";
    case CPU_POWER_OFF_PENDING: return "OFF_PENDING";
    case CPU_ERR_INVALID: return "INVALID";
    case CPU_ERR_ALREADY_ON: return "ALREADY_ON";
    case CPU_ERR_NOT_SUPPORTED: return "NOT_SUPPORTED";
    default: return "FAILED";
    }
}

/* An id no CPU of this run has (nor, in practice, any listed one). */
static uint64_t unused_hwid(void)
{
    uint64_t h = 0xfff0f0;

    for (int c = 0; c < nr_cpus_possible; c++)
        if (percpu[c].hwid == h) {
            h += 0x10;
            c = -1;
        }
    return h;
}

/* The firmware's answers before anything is turned off. */
static void firmware_answers(int probe_cpu)
{
    char why[128] = "";
    struct cpu_desc d;
    int r;

    for (int c = 0; c < nr_cpus_possible; c++) {
        if (!cpu_online(c))
            continue;
        r = arch_cpu_power_state(percpu[c].hwid, why, sizeof(why));
        check(r == CPU_POWER_ON, "running cpu %d (hwid 0x%llx): the firmware says %s, not ON%s%s",
              c, (unsigned long long)percpu[c].hwid, power_name(r), r < 0 ? ": " : "",
              r < 0 ? why : "");
    }
    uint64_t bad = unused_hwid();
    r = arch_cpu_power_state(bad, why, sizeof(why));
    check(r == CPU_ERR_INVALID, "the state of hwid 0x%llx, which is no CPU: %s, not INVALID",
          (unsigned long long)bad, power_name(r));
    d = percpu[probe_cpu].desc;
    d.index = -1;                              /* ask only: no boot slot */
    d.hwid = bad;
    r = arch_cpu_start(&d, 0, why, sizeof(why));
    check(r == CPU_ERR_INVALID, "turning on hwid 0x%llx, which is no CPU: %s, not INVALID (%s)",
          (unsigned long long)bad, r ? power_name(r) : "accepted", r ? why : "");
    d.hwid = percpu[probe_cpu].hwid;
    r = arch_cpu_start(&d, 0, why, sizeof(why));
    check(r == CPU_ERR_ALREADY_ON, "turning on running cpu %d: %s, not ALREADY_ON (%s)",
          probe_cpu, r ? power_name(r) : "accepted", r ? why : "");
    test_yaml("invalid_hwid: 0x%llx", (unsigned long long)bad);
}

/* Every CPU of cpus[] (n of them, secondaries) off, then on, then work on
 * all of them with the boot CPU. never_on: a CPU left off (the control).
 * Returns how many came back; the rest are failed by name. */
static int one_cycle(unsigned cycle, int *cpus, int n, int never_on)
{
    char why[128];
    int back = 0, online;

    for (int i = 0; i < n; i++)        /* one that did not come back is named already */
        if (cpu_online(cpus[i]) && cpu_down(cpus[i], OFF_TIMEOUT_MS, why, sizeof(why)))
            test_fail("cycle %u: %s", cycle, why);
    for (int i = 0; i < n; i++) {
        if (cpu_state(&percpu[cpus[i]]) != CPU_OFF)
            continue;
        if (cpus[i] == never_on) {
            /* Waited for as cpu_up() waits: it cannot arrive. */
            unsigned ms = run_options()->smp_timeout_ms;
            uint64_t end = arch_counter() + ms_to_ticks(ms);
            test_diag("negative control: cpu %d is not turned on again", cpus[i]);
            while (!cpu_online(cpus[i]) && arch_counter() < end)
                cpu_relax();
            if (check(cpu_online(cpus[i]), "cycle %u: cpu %d (hwid 0x%llx) did not come back "
                      "online within %u ms", cycle, cpus[i],
                      (unsigned long long)percpu[cpus[i]].hwid, ms))
                back++;
        } else if (cpu_up(cpus[i], run_options()->smp_timeout_ms, why, sizeof(why))) {
            test_fail("cycle %u: %s", cycle, why);
        } else {
            back++;
        }
    }
    online = num_online_cpus();
    for (int i = 0; i < online; i++)
        ran_hwid[i] = ~0ULL;
    if (on_cpus(online, report_hwid, NULL, 2000) == 0)
        for (int i = 0; i < online; i++) {
            int c = on_cpus_cpu(i);
            check(ran_hwid[i] == percpu[c].hwid, "cycle %u: cpu %d ran work as hwid 0x%llx, "
                  "expected 0x%llx", cycle, c, (unsigned long long)ran_hwid[i],
                  (unsigned long long)percpu[c].hwid);
        }
    return back;
}

static void offline_online(bool control)
{
    static int *cpus;
    char why[160];
    int n = 0, back = 0;

    if (!arch_cpu_power_supported(why, sizeof(why))) {
        /* The control must fail where the test cannot run: by this name. */
        if (control)
            test_fail("a cpu cannot be turned off and on again: %s", why);
        else
            test_skip("%s", why);
        return;
    }
    PERCPU_TABLE(cpus);
    PERCPU_TABLE(ran_hwid);
    for (int c = 1; c < nr_cpus_possible; c++)
        if (cpu_online(c))
            cpus[n++] = c;
    firmware_answers(cpus[0]);
    for (unsigned cycle = 1; cycle <= opt_cycles; cycle++)
        back += one_cycle(cycle, cpus, n, control && cycle == 1 ? cpus[0] : -1);
    if (control && cpu_state(&percpu[cpus[0]]) == CPU_OFF &&
        cpu_up(cpus[0], run_options()->smp_timeout_ms, why, sizeof(why)))
        test_diag("control: cpu %d stays off: %s", cpus[0], why);
    test_yaml("cycles: %u", (unsigned)opt_cycles);
    test_yaml("cpus: %d", n);
    test_yaml("returns: %d", back);
    test_note("%d secondaries off and on %u times: %d of %d returns ran work", n,
              (unsigned)opt_cycles, back, n * (int)opt_cycles);
}

TEST(smp_power_cycle, .name = "smp/power-cycle", .min_cpus = 2, .timeout_ms = 20000)
{
    offline_online(false);
}

TEST(smp_power_cycle_never_on, .name = "smp/power-cycle-never-on-control", .min_cpus = 2,
     .timeout_ms = 20000, .flags = TEST_HIDDEN)
{
    offline_online(true);
}
