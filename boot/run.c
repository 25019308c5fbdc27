/* The test runner: options from bootargs, test selection, the TAP stream,
 * per-test state and timeouts, on_cpus(), the summary and the exit. */
#include "arch.h"
#include "boot.h"
#include "bootargs.h"
#include "console.h"
#include "exception.h"
#include "irq.h"
#include "smp.h"
#include "tap.h"
#include "test.h"
#include <asm/processor.h>
#include <atomic.h>
#include <irqflags.h>
#include <spinlock.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#ifndef ORDERLY_VERSION
#define ORDERLY_VERSION "0.1"
#endif

extern const struct test __start_orderly_tests[], __stop_orderly_tests[];
extern unsigned smp_timeout_ms;
extern int work_fault_count[NR_CPUS];

/* ---- options (/chosen/bootargs) ---- */
static struct {
    char tests[BOOTARG_STR_MAX];
    char skip[BOOTARG_STR_MAX];
    char seed_str[32];
    uint32_t timeout_ms;
    bool list, help;
} opt = { .tests = "*", .timeout_ms = 10000 };
static uint64_t run_seed = 0x5eed;

static const struct bootarg_opt builtin_options[] = {
    { "tests", BOOTARG_STR, opt.tests, NULL, "comma-separated globs of tests to run (default *)" },
    { "skip", BOOTARG_STR, opt.skip, NULL, "comma-separated globs of tests not to run" },
    { "seed", BOOTARG_STR, opt.seed_str, NULL, "random seed: a number, or 'random' (default 0x5eed)" },
    { "timeout", BOOTARG_U32, &opt.timeout_ms, NULL, "per-test timeout in ms (default 10000)" },
    { "smp_timeout", BOOTARG_U32, &smp_timeout_ms, NULL, "ms to wait for each CPU to come online (default 5000)" },
    { "list", BOOTARG_FLAG, &opt.list, NULL, "list the tests and exit" },
    { "help", BOOTARG_FLAG, &opt.help, NULL, "print these options and exit" },
};

extern const struct bootarg_opt __start_orderly_options[], __stop_orderly_options[];
static struct bootarg_opt options[64];
static size_t nr_options;

static void warn_sink(void *ctx, const char *msg) { (void)ctx; pr("# warning: %s\n", msg); }

/* The built-in options plus every OPTION() in the image. */
static void gather_options(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(builtin_options); i++)
        options[nr_options++] = builtin_options[i];
    for (const struct bootarg_opt *o = __start_orderly_options; o < __stop_orderly_options; o++) {
        if (nr_options == ARRAY_SIZE(options)) {
            pr("# warning: too many bootargs options; '%s' and later ignored\n", o->name);
            break;
        }
        options[nr_options++] = *o;
    }
}

void run_parse_bootargs(const char *args)
{
    gather_options();
    bootargs_parse(args, options, nr_options, warn_sink, NULL);
    if (!strcmp(opt.seed_str, "random")) {
        run_seed = arch_counter() ^ 0x9e3779b97f4a7c15ULL;
    } else if (opt.seed_str[0] &&
               !parse_u64(opt.seed_str, strlen(opt.seed_str), &run_seed)) {
        pr("# warning: bootargs: seed '%s' is not a number or 'random'; using 0x5eed\n", opt.seed_str);
        run_seed = 0x5eed;
    }
    if (opt.timeout_ms == 0)
        opt.timeout_ms = 10000;
}

uint64_t test_seed(void) { return run_seed; }

/* ---- TAP output ---- */
static struct tap tap;

static void tap_sink(void *ctx, const char *line)
{
    (void)ctx;
    console_lock();
    console_write(line, strlen(line));
    console_write("\n", 1);
    console_unlock();
}

/* ---- the current test ---- */
#define YAML_MAX 6144
static struct {
    const struct test *t;
    bool failed, skipped, timed_out, todo;
    char note[160];
    char yaml[YAML_MAX];
    size_t yaml_len;
    bool yaml_truncated;
    int nfail;
    spinlock_t lock;
} cur = { .lock = SPINLOCK_INIT };

const char *test_current_name(void) { return cur.t ? cur.t->name : "(none)"; }
bool test_failed(void) { return cur.failed; }

static void yaml_append(const char *line)
{
    size_t n = strlen(line);
    spin_lock(&cur.lock);
    if (cur.yaml_len + n + 2 < YAML_MAX) {
        memcpy(cur.yaml + cur.yaml_len, line, n);
        cur.yaml_len += n;
        cur.yaml[cur.yaml_len++] = '\n';
        cur.yaml[cur.yaml_len] = 0;
    } else {
        cur.yaml_truncated = true;
    }
    spin_unlock(&cur.lock);
}

/* YAML single-quoted scalar: only ' needs doubling. */
static void yaml_quote(char *out, size_t len, const char *s)
{
    size_t o = 0;
    if (len < 3)
        return;
    out[o++] = '\'';
    for (; *s && o + 3 < len; s++) {
        if (*s == '\n')
            continue;
        if (*s == '\'')
            out[o++] = '\'';
        out[o++] = *s;
    }
    out[o++] = '\'';
    out[o] = 0;
}

static void record_failure(const char *msg)
{
    char q[200], line[220];

    yaml_quote(q, sizeof(q), msg);
    snprintf(line, sizeof(line), "  - %s", q);
    spin_lock(&cur.lock);
    bool first = cur.nfail++ == 0;
    cur.failed = true;
    spin_unlock(&cur.lock);
    if (first)
        yaml_append("failures:");
    yaml_append(line);
}

static void vformat(char *buf, size_t len, const char *fmt, va_list ap)
{
    console_lock();         /* newlib's formatter shares state across CPUs */
    vsnprintf(buf, len, fmt, ap);
    console_unlock();
}

bool check(bool cond, const char *fmt, ...)
{
    char msg[160];
    va_list ap;

    if (cond)
        return true;
    va_start(ap, fmt);
    vformat(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    record_failure(msg);
    return false;
}

void test_fail(const char *fmt, ...)
{
    char msg[160];
    va_list ap;
    va_start(ap, fmt);
    vformat(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    record_failure(msg);
}

void test_skip(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vformat(cur.note, sizeof(cur.note), fmt, ap);
    va_end(ap);
    cur.skipped = true;
}

void test_todo(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vformat(cur.note, sizeof(cur.note), fmt, ap);
    va_end(ap);
    cur.todo = true;
}

void test_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vformat(cur.note, sizeof(cur.note), fmt, ap);
    va_end(ap);
}

void test_yaml(const char *fmt, ...)
{
    char line[200];
    va_list ap;
    va_start(ap, fmt);
    vformat(line, sizeof(line), fmt, ap);
    va_end(ap);
    yaml_append(line);
}

void test_diag(const char *fmt, ...)
{
    va_list ap;
    console_lock();
    console_write("# ", 2);
    va_start(ap, fmt);
    vpr(fmt, ap);
    va_end(ap);
    console_write("\n", 1);
    console_unlock();
}

static void emit_exc_yaml(const char *k, const char *v)
{
    char line[160];
    snprintf(line, sizeof(line), "  %s: %s", k, v);
    yaml_append(line);
}

/* From exception_entry(): a fault inside the current test, on any CPU. */
void test_record_exception(const struct exc_info *e, int cpu)
{
    char msg[120], line[64];

    snprintf(msg, sizeof(msg), "%s on cpu %d in %s", e->kind, cpu, test_current_name());
    pr("# exception: %s\n", msg);
    record_failure(msg);
    yaml_append("exception:");
    snprintf(line, sizeof(line), "  cpu: %d", cpu);
    yaml_append(line);
    snprintf(line, sizeof(line), "  kind: %s", e->kind);
    yaml_append(line);
    snprintf(line, sizeof(line), "  test: %s", test_current_name());
    yaml_append(line);
    arch_exc_describe(e, emit_exc_yaml);
}

/* From the timer interrupt on the boot CPU: the test ran out of time. */
void test_watchdog_expired(void)
{
    struct percpu *pc = this_cpu();
    unsigned ms = cur.t && cur.t->timeout_ms ? cur.t->timeout_ms : opt.timeout_ms;

    if (pc->cpu != 0 || !pc->recover || !cur.t)
        return;
    cur.timed_out = true;
    test_fail("timeout: did not finish within %u ms", ms);
    longjmp(*pc->recover, 1);
}

/* ---- on_cpus ---- */
static struct {
    void (*fn)(int, void *);
    void *arg;
    int n;
    atomic_t arrived;
    int go;
    int cpu_of[NR_CPUS];
} oc;

int on_cpus_cpu(int idx) { return idx >= 0 && idx < oc.n ? oc.cpu_of[idx] : -1; }

static void oc_trampoline(int idx, void *unused)
{
    (void)unused;
    atomic_inc(&oc.arrived);
    while (!virt_load_acquire(&oc.go))
        cpu_relax();
    oc.fn(idx, oc.arg);
}

static bool dispatch(int cpu, int idx)
{
    struct percpu *pc = &percpu[cpu];

    if (pc->work_seq != pc->done_seq)
        return false;                   /* still busy with something else */
    pc->work_fn = oc_trampoline;
    pc->work_arg = NULL;
    pc->work_idx = idx;
    virt_store_release(&pc->work_seq, pc->work_seq + 1);
    arch_send_ipi(cpu);
    return true;
}

static bool wait_until(uint64_t deadline, volatile unsigned *a, volatile unsigned *b)
{
    while (READ_ONCE(*a) != READ_ONCE(*b)) {
        if (arch_counter() >= deadline)
            return false;
        cpu_relax();
    }
    return true;
}

int on_cpus(int n, void (*fn)(int idx, void *arg), void *arg, unsigned timeout_ms)
{
    int cpus[NR_CPUS], have = 1;

    cpus[0] = 0;
    for (int c = 1; c < nr_cpus_possible && have < n; c++)
        if (cpu_online(c))
            cpus[have++] = c;
    if (have < n) {
        test_fail("on_cpus: needs %d cpus, %d online", n, have);
        return n;
    }
    return on_cpu_list(n, cpus, fn, arg, timeout_ms);
}

int on_cpu_list(int n, const int *cpus, void (*fn)(int idx, void *arg), void *arg,
                unsigned timeout_ms)
{
    int bad = 0;
    uint64_t deadline;

    if (n < 1 || n > NR_CPUS || cpus[0] != 0) {
        test_fail("on_cpu_list: bad cpu list");
        return n;
    }
    memset(oc.cpu_of, -1, sizeof(oc.cpu_of));
    for (int i = 0; i < n; i++) {
        if (i && !cpu_online(cpus[i])) {
            test_fail("on_cpu_list: cpu %d is not online", cpus[i]);
            return n;
        }
        oc.cpu_of[i] = cpus[i];
    }
    oc.fn = fn;
    oc.arg = arg;
    oc.n = n;
    atomic_set(&oc.arrived, 0);
    WRITE_ONCE(oc.go, 0);
    int before[NR_CPUS];
    for (int i = 1; i < n; i++) {
        before[i] = work_fault_count[oc.cpu_of[i]];
        if (!dispatch(oc.cpu_of[i], i)) {
            test_fail("on_cpus: cpu %d is still busy with earlier work", oc.cpu_of[i]);
            return n;
        }
    }
    deadline = arch_counter() + ms_to_ticks(timeout_ms ? timeout_ms : opt.timeout_ms);
    while (atomic_read(&oc.arrived) < n - 1 && arch_counter() < deadline)
        cpu_relax();
    virt_store_release(&oc.go, 1);
    fn(0, arg);
    for (int i = 1; i < n; i++) {
        struct percpu *pc = &percpu[oc.cpu_of[i]];
        if (!wait_until(deadline, &pc->done_seq, &pc->work_seq)) {
            char why[80];
            snprintf(why, sizeof(why), "did not finish %s within %u ms", test_current_name(),
                     timeout_ms ? timeout_ms : opt.timeout_ms);
            test_fail("cpu %d %s", oc.cpu_of[i], why);
            cpu_mark_lost(oc.cpu_of[i], why);
            bad++;
        } else if (work_fault_count[oc.cpu_of[i]] != before[i]) {
            bad++;
        }
    }
    virt_mb();         /* the workers' results are visible from here on */
    return bad;
}

/* After a test (or its timeout): any CPU still running its work is lost. */
static void reap_secondaries(void)
{
    uint64_t deadline = arch_counter() + ms_to_ticks(100);

    WRITE_ONCE(oc.go, 1);
    for (int c = 1; c < nr_cpus_possible; c++) {
        struct percpu *pc = &percpu[c];
        if (pc->state != CPU_ONLINE)
            continue;
        if (!wait_until(deadline, &pc->done_seq, &pc->work_seq))
            cpu_mark_lost(c, "still busy when its test ended");
    }
}

/* ---- selection ---- */
static bool has_wildcard(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == '*' || s[i] == '?' || s[i] == '[')
            return true;
    return false;
}

/* A hidden test (negative control) runs only when named exactly. */
static bool named_exactly(const char *list, const char *name)
{
    size_t len = strlen(name);
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        if (n == len && !strncmp(p, name, n))
            return true;
        p += n + (p[n] == ',');
    }
    return false;
}

static bool selected(const struct test *t)
{
    if (opt.skip[0] && glob_match_list(opt.skip, t->name))
        return false;
    if (t->flags & TEST_HIDDEN)
        return named_exactly(opt.tests, t->name);
    return glob_match_list(opt.tests, t->name);
}

/* Report every pattern in tests= that selects nothing. */
static void warn_unmatched_patterns(void)
{
    char pat[BOOTARG_STR_MAX];
    for (const char *p = opt.tests; *p;) {
        size_t n = strcspn(p, ",");
        if (n && n < sizeof(pat)) {
            memcpy(pat, p, n);
            pat[n] = 0;
            bool any = false;
            for (const struct test *t = __start_orderly_tests; t < __stop_orderly_tests && !any; t++)
                any = glob_match(pat, t->name) &&
                      (!(t->flags & TEST_HIDDEN) || !has_wildcard(pat, n));
            if (!any)
                pr("# warning: bootargs: tests=%s selects no test (ignored)\n", pat);
        }
        p += n + (p[n] == ',');
    }
}

/* ---- order: by group (bring-up first, negative controls last), then name ---- */
static const char *const group_order[] = {
    "smp/", "mmu/", "irq/", "atomic/", "litmus/", "mmio/", "dma/", "selftest/",
};
static const struct test *ordered[512];
static unsigned nr_tests;

static unsigned group_rank(const char *name)
{
    for (unsigned i = 0; i < ARRAY_SIZE(group_order); i++)
        if (!strncmp(name, group_order[i], strlen(group_order[i])))
            return i;
    return ARRAY_SIZE(group_order) - 1;     /* unknown groups just before selftest */
}

static bool test_before(const struct test *a, const struct test *b)
{
    unsigned ra = group_rank(a->name), rb = group_rank(b->name);
    return ra != rb ? ra < rb : strcmp(a->name, b->name) < 0;
}

static void order_tests(void)
{
    for (const struct test *t = __start_orderly_tests; t < __stop_orderly_tests; t++) {
        if (nr_tests == ARRAY_SIZE(ordered)) {
            pr("# warning: more than %u tests registered; the rest are not run\n", nr_tests);
            break;
        }
        unsigned i = nr_tests++;
        while (i > 0 && test_before(t, ordered[i - 1])) {      /* insertion sort */
            ordered[i] = ordered[i - 1];
            i--;
        }
        ordered[i] = t;
    }
}

/* ---- running ---- */
static void reset_current(const struct test *t)
{
    cur.t = t;
    cur.failed = cur.skipped = cur.timed_out = cur.todo = cur.yaml_truncated = false;
    cur.note[0] = 0;
    cur.yaml[0] = 0;
    cur.yaml_len = 0;
    cur.nfail = 0;
}

static const char *missing_devices(unsigned need)
{
    unsigned miss = need & ~devices_present();
    if (miss & DEV_FWCFG) return "no fw_cfg device in the device tree";
    if (miss & DEV_VIRTIO) return "no virtio-mmio device in the device tree";
    if (miss & DEV_PCI) return "no PCI host bridge in the device tree";
    return NULL;
}

static void run_body(const struct test *t)
{
    struct percpu *pc = this_cpu();
    unsigned ms = t->timeout_ms ? t->timeout_ms : opt.timeout_ms;
    jmp_buf jb;

    if (setjmp(jb) == 0) {
        pc->recover = &jb;
        timer_set_watchdog(arch_counter() + ms_to_ticks(ms));
        local_irq_enable();
        t->fn();
    }
    local_irq_disable();
    pc->recover = NULL;
    pc->exc_depth = 0;
    timer_set_watchdog(0);
    timer_set_user(0);
    pc->timer_hook = NULL;
    reap_secondaries();
}

static void emit_result(const struct test *t)
{
    if (cur.skipped && !cur.failed) {
        tap_result(&tap, true, t->name, TAP_SKIP, cur.note);
        return;
    }
    if (cur.todo && !cur.failed)
        tap_result(&tap, false, t->name, TAP_TODO, cur.note);
    else
        tap_result(&tap, !cur.failed, t->name, TAP_NONE, cur.note[0] ? cur.note : NULL);
    if (cur.yaml_len) {
        tap_yaml_begin(&tap);
        for (char *line = cur.yaml; *line;) {
            char *nl = strchr(line, '\n');
            *nl = 0;
            tap_yaml(&tap, "%s", line);
            line = nl + 1;
        }
        if (cur.yaml_truncated)
            tap_yaml(&tap, "truncated: true");
        tap_yaml_end(&tap);
    }
}

static void run_one(const struct test *t)
{
    const char *miss;

    reset_current(t);
    if (t->min_cpus > num_online_cpus())
        test_skip("needs %d cpus, %d online", t->min_cpus, num_online_cpus());
    else if ((miss = missing_devices(t->devices)) != NULL)
        test_skip("%s", miss);
    else
        run_body(t);
    emit_result(t);
}

static void print_help(void)
{
    pr("# bootargs options (in /chosen/bootargs, e.g. QEMU -append):\n");
    for (size_t i = 0; i < nr_options; i++)
        pr("#   %-16s %s\n", options[i].name, options[i].help);
}

static void print_header(unsigned planned)
{
    char facts[128];
    uint64_t f = arch_counter_freq(), t = arch_counter() - boot_info.t_entry;

    arch_describe(facts, sizeof(facts));
    tap_version(&tap);
    pr("# orderly %s arch=%s platform=%s cpus=%d/%d %s seed=0x%llx smp=%s\n", ORDERLY_VERSION,
       arch_name(), PLATFORM_NAME, num_online_cpus(), nr_cpus_possible, facts,
       (unsigned long long)run_seed, ORDERLY_SMP_BUILD ? "y" : "n");
    pr("# boot: dtb=%s irq=%s bootargs='%s'\n", boot_info.dtb_source, arch_irq_controller(),
       boot_info.bootargs);
    pr("# time: entry to first test %llu us (counter %llu Hz)\n",
       (unsigned long long)(t * 1000000 / f), (unsigned long long)f);
    tap_plan(&tap, planned);
}

static int finish_status(void)
{
    return tap_status(&tap);
}

static bool exiting;

__noreturn void orderly_exit(int status)
{
    if (!exiting) {
        exiting = true;
        uint64_t t = arch_counter() - boot_info.t_entry;
        pr("# time: total %llu us\n", (unsigned long long)(t * 1000000 / arch_counter_freq()));
        tap_summary(&tap);
        if (status == 0)
            status = finish_status();
        tap_exit_line(&tap, status);
    }
    arch_exit(status);
}

__noreturn void run_tests(void)
{
    unsigned planned = 0;

    tap_init(&tap, tap_sink, NULL);
    order_tests();
    if (opt.help) {
        print_help();
        tap_version(&tap);
        tap_plan(&tap, 0);
        orderly_exit(0);
    }
    for (unsigned i = 0; i < nr_tests; i++)
        planned += selected(ordered[i]);
    warn_unmatched_patterns();
    if (opt.list) {
        for (unsigned i = 0; i < nr_tests; i++)
            pr("# test: %s%s\n", ordered[i]->name,
               ordered[i]->flags & TEST_HIDDEN ? " (hidden: run only by exact name)" : "");
        tap_version(&tap);
        tap_plan(&tap, 0);
        orderly_exit(0);
    }
    print_header(planned);
    for (unsigned i = 0; i < nr_tests; i++)
        if (selected(ordered[i]))
            run_one(ordered[i]);
    orderly_exit(0);
}
