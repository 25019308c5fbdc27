/* The report API (include/report.h): the current test's verdict, note and
 * YAML buffer, filled from any CPU, emitted as TAP when the test ends. */
#include "arch.h"
#include "console.h"
#include "exception.h"
#include "report.h"
#include "tap.h"
#include <spinlock.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static struct tap tap;

static void tap_sink(void *ctx, const char *line)
{
    (void)ctx;
    console_lock();
    console_write(line, strlen(line));
    console_write("\n", 1);
    console_unlock();
}

#define YAML_MAX 6144
static struct {
    const char *name;           /* NULL between tests */
    bool failed, skipped, todo;
    char note[160];
    char yaml[YAML_MAX];
    size_t yaml_len;
    bool yaml_truncated;
    int nfail;
    spinlock_t lock;
} cur = { .lock = SPINLOCK_INIT };

const char *test_current_name(void) { return cur.name ? cur.name : "(none)"; }
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

/* The exception hook (kernel/exceptions.c): a fault inside the current
 * test, on any CPU, fails it with the registers in its YAML. */
static void record_exception(const struct exc_info *e, int cpu)
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
    exc_describe(e, emit_exc_yaml);
}

void report_init(void)
{
    tap_init(&tap, tap_sink, NULL);
    exception_set_test_hook(record_exception);
}

struct tap *report_tap(void) { return &tap; }

void report_begin(const char *name)
{
    cur.name = name;
    cur.failed = cur.skipped = cur.todo = cur.yaml_truncated = false;
    cur.note[0] = 0;
    cur.yaml[0] = 0;
    cur.yaml_len = 0;
    cur.nfail = 0;
}

void report_end(void)
{
    const char *name = cur.name;

    cur.name = NULL;
    if (cur.skipped && !cur.failed) {
        tap_result(&tap, true, name, TAP_SKIP, cur.note);
        return;
    }
    if (cur.todo && !cur.failed)
        tap_result(&tap, false, name, TAP_TODO, cur.note);
    else
        tap_result(&tap, !cur.failed, name, TAP_NONE, cur.note[0] ? cur.note : NULL);
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
