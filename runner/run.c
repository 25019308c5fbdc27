/* The run on the boot CPU (include/runner.h): header, every selected test
 * with its watchdog and the cleanup after it, then the summary and the
 * exit status. */
#include "arch.h"
#include "boot.h"
#include "bootargs.h"
#include "clock.h"
#include "console.h"
#include "exit.h"
#include "irq.h"
#include "percpu.h"
#include "runner.h"
#include "tap.h"
#include <irqflags.h>
#include <stdio.h>

#ifndef ORDERLY_VERSION
#define ORDERLY_VERSION "0.1"
#endif

static const struct test *ordered[4096];     /* a user's litmus corpus can be large */
static unsigned nr_tests;
static const struct test *current;

static unsigned timeout_of(const struct test *t)
{
    return t->timeout_ms ? t->timeout_ms : run_options()->timeout_ms;
}

/* The watchdog hook (kernel/irq.c), from the timer interrupt on the boot
 * CPU: the test ran out of time. */
static void watchdog_expired(void)
{
    struct percpu *pc = this_cpu();

    if (pc->cpu != 0 || !pc->recover || !current)
        return;
    test_fail("timeout: did not finish within %u ms", timeout_of(current));
    longjmp(*pc->recover, 1);
}

static void run_body(const struct test *t)
{
    struct percpu *pc = this_cpu();
    jmp_buf jb;

    if (setjmp(jb) == 0) {
        WRITE_ONCE(pc->recover, &jb);
        timer_set_watchdog(arch_counter() + ms_to_ticks(timeout_of(t)));
        local_irq_enable();
        t->fn();
    }
    local_irq_disable();
    WRITE_ONCE(pc->recover, NULL);
    pc->exc_depth = 0;
    timer_set_watchdog(0);
    timer_set_user(0);
    pc->timer_hook = NULL;
    on_cpus_reap();
}

static void run_one(const struct test *t)
{
    current = t;
    report_begin(t->name);
    if (t->min_cpus > num_online_cpus())
        test_skip("needs %d cpus, %d online", t->min_cpus, num_online_cpus());
    else
        run_body(t);
    report_end();
    current = NULL;
}

static void print_header(unsigned planned)
{
    char facts[128], piece[128];
    uint64_t f = arch_counter_freq(), t = arch_counter() - boot_info.t_entry;

    arch_describe(facts, sizeof(facts));
    tap_version(report_tap());
    pr("# orderly %s arch=%s platform=%s cpus=%d/%d %s seed=0x%llx smp=%s\n", ORDERLY_VERSION,
       arch_name(), PLATFORM_NAME, num_online_cpus(), nr_cpus_dt, facts,
       (unsigned long long)test_seed(), ORDERLY_SMP_BUILD ? "y" : "n");
    pr("# boot: dtb=%s irq=%s bootargs='", boot_info.dtb_source, arch_irq_controller());
    for (const char *p = boot_info.bootargs; *p;)
        pr("%s", bootargs_escape(piece, sizeof(piece), &p));
    pr("'\n");
    pr("# time: entry to first test %llu us (counter %llu Hz)\n",
       (unsigned long long)(t * 1000000 / f), (unsigned long long)f);
    tap_plan(report_tap(), planned);
}

/* The exit hook (kernel/exit.c): the run's last lines. */
static int last_word(int status)
{
    struct tap *tap = report_tap();
    uint64_t t = arch_counter() - boot_info.t_entry;

    pr("# time: total %llu us\n", (unsigned long long)(t * 1000000 / arch_counter_freq()));
    tap_summary(tap);
    if (status == 0)
        status = tap_status(tap);
    tap_exit_line(tap, status);
    return status;
}

/* help and list: a TAP stream with no tests, which says they were not
 * wanted (a plain 1..0 is a selection that matched nothing: a failure). */
static __noreturn void empty_run(const char *why)
{
    tap_version(report_tap());
    tap_skip_all(report_tap(), why);
    orderly_exit(0);
}

__noreturn void run_tests(void)
{
    const struct run_options *o = run_options();
    unsigned planned = 0;

    report_init();
    irq_set_watchdog_hook(watchdog_expired);
    exit_set_hook(last_word);
    nr_tests = order_tests(ordered, ARRAY_SIZE(ordered));
    if (o->help) {
        options_print_help();
        empty_run("help: options listed, no test run");
    }
    for (unsigned i = 0; i < nr_tests; i++)
        planned += test_selected(ordered[i]);
    warn_unmatched_patterns();
    if (o->list) {
        for (unsigned i = 0; i < nr_tests; i++)
            pr("# test: %s (timeout %u ms)%s\n", ordered[i]->name, timeout_of(ordered[i]),
               ordered[i]->flags & TEST_HIDDEN ? " (hidden: run only by exact name)" : "");
        empty_run("list: tests listed, no test run");
    }
    print_header(planned);
    for (unsigned i = 0; i < nr_tests; i++)
        if (test_selected(ordered[i]))
            run_one(ordered[i]);
    orderly_exit(0);
}
