/* Benchmark (make bench), not a test: interrupt latency in the CPU's own
 * counter, from the timer's deadline to the entry of the test's timer hook
 * on the boot CPU, and from arch_send_ipi() on the boot CPU to the entry of
 * the IPI hook on the first secondary (spinning with interrupts on). Both
 * include the arch's entry code, the controller's acknowledge and the
 * generic handler up to the hook. Hidden, so it runs only when named; it
 * never fails on speed. */
#include "arch.h"
#include "clock.h"
#include "irq.h"
#include "irqtest.h"
#include "percpu.h"
#include "test.h"
#include <asm/processor.h>
#include <barrier.h>
#include <irqflags.h>

#define MAX_SAMPLES 1000

static uint32_t opt_samples = 200;
OPTION(bench_irq_samples, "bench.irq_samples", BOOTARG_U32, &opt_samples,
       "samples of each interrupt latency in bench/irq-latency (default 200, at most 1000)");

static uint64_t samples[MAX_SAMPLES];
static struct {
    int ready, done;
} ipi_bench;

static void emit(const char *kind, unsigned n, unsigned wanted)
{
    struct lat_stats st;
    char a[24], b[24], c[24];

    lat_stats(samples, n, &st);
    test_yaml("%s_samples: %u", kind, n);
    test_yaml("%s_lost: %u", kind, wanted - n);
    test_yaml("%s_min_ticks: %llu", kind, (unsigned long long)st.min);
    test_yaml("%s_median_ticks: %llu", kind, (unsigned long long)st.median);
    test_yaml("%s_max_ticks: %llu", kind, (unsigned long long)st.max);
    test_yaml("%s_min_us: %s", kind, ticks_us(st.min, a, sizeof(a)));
    test_yaml("%s_median_us: %s", kind, ticks_us(st.median, b, sizeof(b)));
    test_yaml("%s_max_us: %s", kind, ticks_us(st.max, c, sizeof(c)));
}

/* Timer: deadline 20 us ahead, interrupts on, wait for the stamp. */
static unsigned bench_timer(unsigned n)
{
    const struct irq_stamp *s = &timer_stamp[smp_processor_id()];
    uint64_t ahead = arch_counter_freq() / 50000 + 1;
    unsigned got = 0;

    irq_set_timer_hook(stamp_timer_hook);
    for (unsigned i = 0; i < n; i++) {
        unsigned long before = stamp_count(s);
        uint64_t deadline = arch_counter() + ahead;
        timer_set_user_at(deadline);
        if (!wait_stamp(s, before, 100))
            continue;
        uint64_t at = READ_ONCE(s->at);
        samples[got++] = at > deadline ? at - deadline : 0;
    }
    timer_set_user(0);
    irq_set_timer_hook(NULL);
    return got;
}

static void ipi_target(int idx, void *arg)
{
    unsigned *got = arg;

    if (idx == 0) {
        int cpu = on_cpus_cpu(1);
        const struct irq_stamp *s = &ipi_stamp[cpu];
        uint64_t end = arch_counter() + ms_to_ticks(500);
        while (!virt_load_acquire(&ipi_bench.ready) && arch_counter() < end)
            cpu_relax();
        for (unsigned i = 0; i < opt_samples && virt_load_acquire(&ipi_bench.ready); i++) {
            unsigned long before = stamp_count(s);
            uint64_t t0 = arch_counter();
            arch_send_ipi(cpu);
            if (!wait_stamp(s, before, 100))
                continue;
            samples[(*got)++] = READ_ONCE(s->at) - t0;
            udelay(20);
        }
        virt_store_release(&ipi_bench.done, 1);
        return;
    }
    if (idx != 1)
        return;
    udelay(200);            /* on_cpus' own wake-up IPI is taken by now */
    irq_set_ipi_hook(stamp_ipi_hook);
    virt_store_release(&ipi_bench.ready, 1);
    uint64_t end = arch_counter() + ms_to_ticks(5000);
    while (!virt_load_acquire(&ipi_bench.done) && arch_counter() < end)
        cpu_relax();
    irq_set_ipi_hook(NULL);
}

TEST(bench_irq_latency, .name = "bench/irq-latency", .flags = TEST_HIDDEN, .timeout_ms = 25000)
{
    unsigned n = opt_samples > MAX_SAMPLES ? MAX_SAMPLES : opt_samples, got;
    struct lat_stats st;
    char m[24], t[24];

    if (!have_irq_controller())
        return;
    opt_samples = n;
    got = bench_timer(n);
    emit("timer", got, n);
    lat_stats(samples, got, &st);
    ticks_us(st.median, t, sizeof(t));
    if (num_online_cpus() < 2) {
        test_note("timer deadline to handler: median %s us; IPI: needs 2 cpus", t);
        return;
    }
    got = 0;
    ipi_bench.ready = ipi_bench.done = 0;
    virt_wmb();
    if (on_cpus(2, ipi_target, &got, 10000))
        return;
    emit("ipi", got, n);
    lat_stats(samples, got, &st);
    test_note("median: timer deadline to handler %s us, IPI send to handler %s us", t,
              ticks_us(st.median, m, sizeof(m)));
}
