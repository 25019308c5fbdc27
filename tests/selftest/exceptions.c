/* The exception path itself: a fault is caught with the right registers
 * on every CPU; and hidden negative controls (run only when named) that
 * must make the run fail: a real fault, a failed check, a hang. */
#include "arch.h"
#include "exception.h"
#include "percpu.h"
#include "test.h"
#include <asm/processor.h>

static void fault(void *arg) { arch_fault_at((uintptr_t)arg); }

static struct exc_record *rec;     /* per CPU */
static volatile int *caught;

static void fault_on_cpu(int idx, void *arg)
{
    (void)arg;
    caught[idx] = try_call(fault, (void *)arch_unmapped_addr(), &rec[idx]) ? 1 : -1;
}

TEST(selftest_exception, .name = "selftest/exception-report")
{
    int n = num_online_cpus();
    uintptr_t addr = arch_unmapped_addr();

    PERCPU_TABLE(rec);
    PERCPU_TABLE(caught);
    for (int i = 0; i < n; i++)
        caught[i] = 0;
    if (on_cpus(n, fault_on_cpu, NULL, 2000))
        return;
    for (int i = 0; i < n; i++) {
        int c = on_cpus_cpu(i);
        if (!check(caught[i] == 1, "cpu %d: a load from unmapped 0x%lx raised no exception", c,
                   (unsigned long)addr))
            continue;
        check(rec[i].addr == addr, "cpu %d: fault address reported 0x%llx, expected 0x%lx", c,
              (unsigned long long)rec[i].addr, (unsigned long)addr);
        check(rec[i].pc != 0, "cpu %d: no faulting pc reported", c);
        check(rec[i].cpu == c, "cpu %d: exception recorded as cpu %d", c, rec[i].cpu);
    }
    test_yaml("kind: '%s'", rec[0].kind);
    test_yaml("cause: 0x%llx", (unsigned long long)rec[0].cause);
    test_yaml("pc: 0x%llx", (unsigned long long)rec[0].pc);
    test_note("fault at 0x%lx caught on %d cpus", (unsigned long)addr, n);
}

TEST(selftest_fault_demo, .name = "selftest/fault-demo", .flags = TEST_HIDDEN)
{
    test_diag("negative control: this test faults on purpose");
    arch_fault_at(arch_unmapped_addr());
    test_fail("the fault did not happen");
}

static void fault_secondary(int idx, void *arg)
{
    if (idx == 1)
        arch_fault_at(arch_unmapped_addr());
}

TEST(selftest_fault_secondary_demo, .name = "selftest/fault-secondary-demo",
     .flags = TEST_HIDDEN, .min_cpus = 2)
{
    test_diag("negative control: cpu 1 faults on purpose");
    on_cpus(2, fault_secondary, NULL, 2000);
}

TEST(selftest_fail_demo, .name = "selftest/fail-demo", .flags = TEST_HIDDEN)
{
    check(1 + 1 == 3, "negative control: this check fails on purpose");
}

TEST(selftest_hang_demo, .name = "selftest/hang-demo", .flags = TEST_HIDDEN, .timeout_ms = 500)
{
    test_diag("negative control: this test never returns; the watchdog must end it");
    for (;;)
        cpu_relax();
}
