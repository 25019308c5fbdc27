/* Interrupt disabling (memory-barriers.txt, "Interrupt disabling
 * functions"): local_irq_save/restore nest, irqs_disabled() says what the
 * hardware says, and a timer interrupt or an IPI that comes due while
 * interrupts are off is held, then taken as soon as they are back on.
 * Each has a hidden negative control, the variant without the
 * save/restore, which must fail (tests/controls.cfg). */
#include "arch.h"
#include "clock.h"
#include "irq.h"
#include "irqtest.h"
#include "percpu.h"
#include "test.h"
#include <asm/processor.h>
#include <barrier.h>
#include <irqflags.h>

static uint32_t opt_hold_ms = 4;
static uint32_t opt_latency_polls = 10;
OPTION(irq_hold_ms, "irq.hold_ms", BOOTARG_U32, &opt_hold_ms,
       "how long the held tests keep interrupts off with one pending (default 4)");
OPTION(irq_latency_polls, "irq.latency_polls", BOOTARG_U32, &opt_latency_polls,
       "bound on a held interrupt's latency after the restore, in polls of a loop (default 10)");

/* The controls run the tests' own bodies with this argument. */
#define CONTROL ((void *)1)

/* ---- nesting ---- */

#define NEST_LEVELS 3

/* The first disagreement a CPU saw, formatted on the boot CPU afterwards
 * (newlib's formatter is not for several CPUs at once). */
static struct nest_result {
    unsigned checks, bad;
    unsigned combo;
    int level;
    const char *step;
    bool want_off, generic_off, hw_off;
    unsigned long raw;
} *nest_res;                             /* per CPU */

static void expect_off(struct nest_result *r, bool off, const char *step, unsigned combo, int level)
{
    unsigned long raw;
    bool hw = arch_irqs_masked_hw(&raw), generic = irqs_disabled();

    r->checks++;
    if (generic == off && hw == off)
        return;
    if (r->bad++)
        return;
    r->combo = combo;
    r->level = level;
    r->step = step;
    r->want_off = off;
    r->generic_off = generic;
    r->hw_off = hw;
    r->raw = raw;
}

/* Every combination of the state before each of three levels (bit l of
 * combo: interrupts on before level l's save). After a save they are off;
 * after a restore they are what they were before the matching save. The
 * control pairs local_irq_disable()/local_irq_enable() instead. */
static void nest_on_cpu(int idx, void *arg)
{
    struct nest_result *r = &nest_res[idx];
    unsigned long entry = local_irq_save(), f[NEST_LEVELS];

    for (unsigned combo = 0; combo < 1u << NEST_LEVELS; combo++) {
        for (int l = 0; l < NEST_LEVELS; l++) {
            bool on = (combo >> l) & 1;
            if (on)
                local_irq_enable();
            else
                local_irq_disable();
            expect_off(r, !on, "before save", combo, l);
            if (arg == CONTROL)
                local_irq_disable();
            else
                f[l] = local_irq_save();
            expect_off(r, true, "after save", combo, l);
        }
        for (int l = NEST_LEVELS - 1; l >= 0; l--) {
            if (arg == CONTROL)
                local_irq_enable();
            else
                local_irq_restore(f[l]);
            expect_off(r, !((combo >> l) & 1), "after restore", combo, l);
        }
    }
    local_irq_restore(entry);
}

static void nest_test(void *arg)
{
    int n = num_online_cpus();
    unsigned checks = 0;

    PERCPU_TABLE(nest_res);
    for (int i = 0; i < n; i++)
        nest_res[i] = (struct nest_result){ 0 };
    if (arg == CONTROL)
        test_diag("negative control: nested local_irq_disable/enable instead of save/restore");
    if (on_cpus(n, nest_on_cpu, arg, 2000))
        return;
    for (int i = 0; i < n; i++) {
        const struct nest_result *r = &nest_res[i];
        checks += r->checks;
        check(!r->bad, "cpu %d: %u of %u states wrong, first %s level %d (on before levels 1-3: "
              "%c%c%c): want %s, irqs_disabled() %s, %s %s (0x%lx)", on_cpus_cpu(i), r->bad,
              r->checks, r->step, r->level + 1, r->combo & 1 ? 'y' : 'n',
              r->combo & 2 ? 'y' : 'n', r->combo & 4 ? 'y' : 'n', r->want_off ? "off" : "on",
              r->generic_off ? "off" : "on", arch_irq_mask_bit(),
              r->hw_off ? "off" : "on", r->raw);
    }
    test_yaml("levels: %d", NEST_LEVELS);
    test_yaml("checks: %u", checks);
    test_yaml("hardware_bit: %s", arch_irq_mask_bit());
    test_note("%d levels from all %u prior states on %d cpus, irqs_disabled() = %s: %u checks",
              NEST_LEVELS, 1u << NEST_LEVELS, n, arch_irq_mask_bit(), checks);
}

TEST(irq_save_restore_nesting, .name = "irq/save-restore-nesting") { nest_test(NULL); }

TEST(irq_save_restore_nesting_control, .name = "irq/save-restore-nesting-control",
     .flags = TEST_HIDDEN)
{
    nest_test(CONTROL);
}

/* ---- held interrupts ---- */

#define HOLD_TRIALS 3

static struct hold_result {
    unsigned inside;                    /* taken while they were to be off */
    unsigned not_pending;               /* never pending at the controller */
    unsigned unseen;                    /* pending state not visible (held blind) */
    unsigned lost;                      /* not taken within 100 ms of the restore */
    uint64_t lat[HOLD_TRIALS];          /* restore to handler, ticks */
    uint64_t polls[HOLD_TRIALS];        /* ... in polls of the loop that waits for it */
    unsigned nlat;
    bool no_start;
} *hold_res;                             /* per CPU */

/* The window with interrupts off: a loop, so that TCG (which delivers
 * between translation blocks) would take a pending interrupt inside it.
 * It lasts until `until`, then on until the controller shows src pending
 * (QEMU raises the timer's line from a host timer, which a loaded host
 * may run late), at most 100 ms more; false if it never did. */
static bool hold_window(struct hold_result *r, uint64_t until, unsigned src,
                        const struct irq_stamp *s, unsigned long before)
{
    unsigned visible;
    uint64_t give_up = until + ms_to_ticks(100);

    while (arch_counter() < until)
        cpu_relax();
    arch_irq_pending(&visible);
    if (!(visible & src)) {
        r->unseen++;
        return true;
    }
    while (!(arch_irq_pending(&visible) & src) && stamp_count(s) == before) {
        if (arch_counter() > give_up) {
            r->not_pending++;
            return false;
        }
        cpu_relax();
    }
    return true;
}

/* After the window: interrupts back on (restore), then the time until the
 * hook's stamp, in counter ticks and in polls of the loop that waits for
 * it; `inside` if it stamped during the window. The ticks include
 * whatever the host does to QEMU's threads meanwhile; the polls count only
 * what this CPU ran (on TCG a pending interrupt is taken before the first). */
static void hold_finish(struct hold_result *r, const struct irq_stamp *s, unsigned long before,
                        void *arg, unsigned long flags)
{
    uint64_t t0, give_up, polls = 0;

    if (stamp_count(s) != before) {
        r->inside++;
        if (arg != CONTROL)
            local_irq_restore(flags);
        return;
    }
    t0 = arch_counter();
    give_up = t0 + ms_to_ticks(100);
    if (arg != CONTROL)
        local_irq_restore(flags);
    for (; stamp_count(s) == before; polls++) {
        if (arch_counter() > give_up) {
            r->lost++;
            return;
        }
    }
    r->polls[r->nlat] = polls;
    r->lat[r->nlat++] = READ_ONCE(s->at) - t0;
}

static void hold_timer_on_cpu(int idx, void *arg)
{
    struct hold_result *r = &hold_res[idx];
    const struct irq_stamp *s = &timer_stamp[smp_processor_id()];
    uint64_t hold = ms_to_ticks(opt_hold_ms);

    irq_set_timer_hook(stamp_timer_hook);
    for (int t = 0; t < HOLD_TRIALS; t++) {
        unsigned long before = stamp_count(s), f = 0;
        if (arg != CONTROL)
            f = local_irq_save();
        uint64_t start = arch_counter();
        timer_set_user_at(start + hold / 4);
        hold_window(r, start + hold, IRQ_SRC_TIMER, s, before);
        hold_finish(r, s, before, arg, f);
    }
    timer_set_user(0);
    irq_set_timer_hook(NULL);
}

/* IPIs: every other CPU turns interrupts off and says so, the boot CPU
 * sends each an IPI, they keep them off for the hold time, then restore. */
static struct {
    int *ready;                         /* per CPU */
    int sent;
} hi;

static bool wait_flag(const int *flag, unsigned ms)
{
    uint64_t end = arch_counter() + ms_to_ticks(ms);
    while (!virt_load_acquire(flag)) {
        if (arch_counter() >= end)
            return false;
        cpu_relax();
    }
    return true;
}

static void hold_ipi_on_cpu(int idx, void *arg)
{
    struct hold_result *r = &hold_res[idx];
    int n = num_online_cpus();

    if (idx == 0) {
        for (int i = 1; i < n; i++)
            if (!wait_flag(&hi.ready[i], 500))
                r->no_start = true;
        for (int i = 1; i < n; i++)
            arch_send_ipi(on_cpus_cpu(i));
        virt_store_release(&hi.sent, 1);
        return;
    }
    const struct irq_stamp *s = &ipi_stamp[smp_processor_id()];
    unsigned long before, f = 0;

    udelay(200);            /* interrupts on: on_cpus' own wake-up IPI is taken by now */
    irq_set_ipi_hook(stamp_ipi_hook);
    before = stamp_count(s);
    if (arg != CONTROL)
        f = local_irq_save();
    virt_store_release(&hi.ready[idx], 1);
    if (!wait_flag(&hi.sent, 1000)) {
        r->no_start = true;
        if (arg != CONTROL)
            local_irq_restore(f);
    } else {
        hold_window(r, arch_counter() + ms_to_ticks(opt_hold_ms), IRQ_SRC_IPI, s, before);
        hold_finish(r, s, before, arg, f);
    }
    irq_set_ipi_hook(NULL);
}

static void emit_stats(const char *key, uint64_t *v, unsigned n)
{
    struct lat_stats st;
    char a[24], b[24], c[24];

    lat_stats(v, n, &st);
    test_yaml("%s_ticks: {min: %llu, median: %llu, max: %llu}", key, (unsigned long long)st.min,
              (unsigned long long)st.median, (unsigned long long)st.max);
    test_yaml("%s_us: {min: %s, median: %s, max: %s}", key, ticks_us(st.min, a, sizeof(a)),
              ticks_us(st.median, b, sizeof(b)), ticks_us(st.max, c, sizeof(c)));
}

/* Both held tests: on cpus first..n-1 of on_cpus, what a trial must show. */
static void hold_report(const char *what, int first, int n, unsigned tried)
{
    static uint64_t *lat, *polls;
    unsigned nlat = 0, trials = 0, slow = 0, unseen = 0;

    if (!lat) {
        lat = percpu_zalloc((size_t)nr_cpus_possible * HOLD_TRIALS, sizeof(*lat));
        polls = percpu_zalloc((size_t)nr_cpus_possible * HOLD_TRIALS, sizeof(*polls));
    }
    for (int i = first; i < n; i++) {
        const struct hold_result *r = &hold_res[i];
        int cpu = on_cpus_cpu(i);
        if (!check(!r->no_start, "cpu %d: the IPI exchange did not start", cpu))
            continue;
        trials += tried;
        check(!r->inside, "cpu %d: %s taken while interrupts were disabled (%u of %u trials)", cpu,
              what, r->inside, tried);
        check(!r->not_pending, "cpu %d: %s never pending at the controller (%u of %u trials)", cpu,
              what, r->not_pending, tried);
        check(!r->lost, "cpu %d: held %s not taken within 100 ms of local_irq_restore() "
              "(%u of %u trials)", cpu, what, r->lost, tried);
        unseen += r->unseen;
        for (unsigned t = 0; t < r->nlat; t++) {
            slow += r->polls[t] > opt_latency_polls;
            polls[nlat] = r->polls[t];
            lat[nlat++] = r->lat[t];
        }
    }
    check(!slow, "%u of %u held %ss taken only after more than irq.latency_polls=%u polls after "
          "the restore", slow, nlat, what, (unsigned)opt_latency_polls);
    test_yaml("hold_ms: %u", (unsigned)opt_hold_ms);
    test_yaml("trials: %u", trials);
    test_yaml("taken: %u", nlat);
    test_yaml("pending_visible: %s", unseen ? "no" : "yes");
    test_yaml("bound_polls: %u", (unsigned)opt_latency_polls);
    if (nlat) {
        struct lat_stats st;
        char m[24];
        lat_stats(polls, nlat, &st);
        test_yaml("restore_to_handler_polls: {min: %llu, median: %llu, max: %llu}",
                  (unsigned long long)st.min, (unsigned long long)st.median,
                  (unsigned long long)st.max);
        emit_stats("restore_to_handler", lat, nlat);
        lat_stats(lat, nlat, &st);
        test_note("%s held %u ms on %d cpus%s, taken after %llu polls, %s us (max)", what,
                  (unsigned)opt_hold_ms, n - first,
                  unseen ? " (its pending state is not visible here)" : ", pending",
                  (unsigned long long)polls[nlat - 1], ticks_us(st.max, m, sizeof(m)));
    }
}

/* The timer on every CPU, or an IPI from the boot CPU to every other. */
static void hold_test(bool ipi, void *arg)
{
    int n = num_online_cpus();

    if (!have_irq_controller())
        return;
    if (arg == CONTROL)
        test_diag("negative control: the %s without local_irq_save()",
                  ipi ? "IPI's target" : "timer's window");
    PERCPU_TABLE(hold_res);
    PERCPU_TABLE(hi.ready);
    for (int i = 0; i < nr_cpus_possible; i++) {
        hold_res[i] = (struct hold_result){ 0 };
        hi.ready[i] = 0;
    }
    hi.sent = 0;
    virt_wmb();
    if (on_cpus(n, ipi ? hold_ipi_on_cpu : hold_timer_on_cpu, arg, 3000))
        return;
    if (ipi)
        check(!hold_res[0].no_start, "not every cpu turned interrupts off within 500 ms");
    hold_report(ipi ? "IPI" : "timer interrupt", ipi, n, ipi ? 1 : HOLD_TRIALS);
}

TEST(irq_disable_holds_timer, .name = "irq/disable-holds-timer") { hold_test(false, NULL); }

TEST(irq_disable_holds_timer_control, .name = "irq/disable-holds-timer-control",
     .flags = TEST_HIDDEN)
{
    hold_test(false, CONTROL);
}

TEST(irq_disable_holds_ipi, .name = "irq/disable-holds-ipi", .min_cpus = 2)
{
    hold_test(true, NULL);
}

TEST(irq_disable_holds_ipi_control, .name = "irq/disable-holds-ipi-control",
     .flags = TEST_HIDDEN, .min_cpus = 2)
{
    hold_test(true, CONTROL);
}
