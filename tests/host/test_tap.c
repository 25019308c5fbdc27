/* lib/tap.c: the exact lines of DESIGN.md section 4, escaping, truncation,
 * counting and the exit status. */
#include "check.h"
#include "tap.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* A sink that records lines. */
#define MAX_LINES 64
struct capture {
    char *line[MAX_LINES];
    int n;
};

static void capture_sink(void *ctx, const char *line)
{
    struct capture *c = ctx;

    CHECK(!strchr(line, '\n') && !strchr(line, '\r'), "a sink line holds a line break: %s", line);
    CHECK(strlen(line) < 512, "line longer than the 512-byte buffer: %zu", strlen(line));
    if (c->n < MAX_LINES)
        c->line[c->n++] = strdup(line);
}

static void capture_reset(struct capture *c)
{
    for (int i = 0; i < c->n; i++)
        free(c->line[i]);
    c->n = 0;
}

/* The captured lines must be exactly the NULL-terminated list given. */
static void expect_lines(struct capture *c, const char *what, ...)
{
    va_list ap;
    int i = 0;
    const char *want;

    va_start(ap, what);
    while ((want = va_arg(ap, const char *)) != NULL) {
        char label[128];
        snprintf(label, sizeof(label), "%s, line %d", what, i + 1);
        CHECK_STR(i < c->n ? c->line[i] : NULL, want, label);
        i++;
    }
    va_end(ap);
    CHECK(c->n == i, "%s: %d lines, expected %d", what, c->n, i);
    capture_reset(c);
}

/* The transcript of DESIGN.md section 4, line for line. */
static void design_example(void)
{
    struct capture c = { .n = 0 };
    struct tap t;

    tap_init(&t, capture_sink, &c);
    tap_version(&t);
    tap_diag(&t, "orderly %s arch=%s platform=%s cpus=%d/%d start=%s el=%d seed=0x%x",
             "0.1", "arm64", "qemu-virt", 4, 4, "psci-hvc", 1, 0x5eed);
    tap_plan(&t, 5);
    tap_result(&t, true, "smp/online", TAP_NONE, "4 of 4 cpus");
    tap_result(&t, true, "litmus/SB+fencembonceonces", TAP_NONE, "never: 0 of 2000000");
    tap_result(&t, true, "litmus/SB+poonceonces", TAP_NONE, "allowed: seen 14210 of 2000000");
    tap_result(&t, true, "litmus/MP+poonceonces", TAP_NONE, "allowed: not seen in 2000000");
    tap_result(&t, false, "mmio/locked-index-data", TAP_NONE, "3 torn reads of 100000");
    tap_yaml_begin(&t);
    tap_yaml(&t, "expected: %s", "never");
    tap_yaml(&t, "observed: %d", 3);
    tap_yaml(&t, "runs: %d", 100000);
    tap_yaml_end(&t);
    tap_summary(&t);
    tap_exit_line(&t, tap_status(&t));
    expect_lines(&c, "DESIGN.md 4 transcript",
                 "TAP version 14",
                 "# orderly 0.1 arch=arm64 platform=qemu-virt cpus=4/4 start=psci-hvc el=1 seed=0x5eed",
                 "1..5",
                 "ok 1 - smp/online # 4 of 4 cpus",
                 "ok 2 - litmus/SB+fencembonceonces # never: 0 of 2000000",
                 "ok 3 - litmus/SB+poonceonces # allowed: seen 14210 of 2000000",
                 "ok 4 - litmus/MP+poonceonces # allowed: not seen in 2000000",
                 "not ok 5 - mmio/locked-index-data # 3 torn reads of 100000",
                 "  ---",
                 "  expected: never",
                 "  observed: 3",
                 "  runs: 100000",
                 "  ...",
                 "# summary: 4 passed, 1 failed, 0 skipped",
                 "# exit: status=1",
                 NULL);
    CHECK(t.passed == 4 && t.failed == 1 && t.skipped == 0 && t.emitted == 5, "counts");
    CHECK(tap_status(&t) == 1, "a failure gives status 1");
}

static void directives(void)
{
    struct capture c = { .n = 0 };
    struct tap t;

    tap_init(&t, capture_sink, &c);
    tap_plan(&t, 7);
    tap_result(&t, true, "irq/timer", TAP_SKIP, "needs 2 cpus, 1 online");
    tap_result(&t, false, "dma/coherent", TAP_SKIP, "no DMA device");  /* SKIP is TAP-ok */
    tap_result(&t, false, "mmu/wc", TAP_TODO, "not implemented");
    tap_result(&t, true, "mmu/np", TAP_TODO, NULL);          /* TODO is always "not ok" */
    tap_result(&t, true, "smp/ipi", TAP_SKIP, "");
    tap_result(&t, true, "plain", TAP_NONE, NULL);
    tap_result(&t, false, "plain-fail", TAP_NONE, "");
    expect_lines(&c, "directives",
                 "1..7",
                 "ok 1 - irq/timer # SKIP needs 2 cpus, 1 online",
                 "ok 2 - dma/coherent # SKIP no DMA device",
                 "not ok 3 - mmu/wc # TODO not implemented",
                 "not ok 4 - mmu/np # TODO",
                 "ok 5 - smp/ipi # SKIP",
                 "ok 6 - plain",
                 "not ok 7 - plain-fail",
                 NULL);
    CHECK(t.passed == 1 && t.failed == 1 && t.skipped == 5, "counts %u/%u/%u",
          t.passed, t.failed, t.skipped);
    tap_summary(&t);
    expect_lines(&c, "summary", "# summary: 1 passed, 1 failed, 5 skipped", NULL);
    CHECK(tap_status(&t) == 1, "status with one failure");
}

static void escaping(void)
{
    struct capture c = { .n = 0 };
    struct tap t;

    tap_init(&t, capture_sink, &c);
    tap_result(&t, true, "a#b", TAP_NONE, NULL);
    tap_result(&t, true, "back\\slash", TAP_NONE, NULL);
    tap_result(&t, true, "x # SKIP forged", TAP_NONE, NULL);
    tap_result(&t, true, "two\nlines\r\nok 9 - forged", TAP_NONE, "c#1\nnext");
    tap_result(&t, true, "tab\there", TAP_NONE, NULL);
    tap_result(&t, true, "", TAP_NONE, "no name");
    tap_result(&t, true, NULL, TAP_SKIP, "no name either");
    tap_result(&t, true, "\\#", TAP_NONE, NULL);
    expect_lines(&c, "escaping",
                 "ok 1 - a\\#b",
                 "ok 2 - back\\\\slash",
                 "ok 3 - x \\# SKIP forged",
                 "ok 4 - two lines  ok 9 - forged # c#1 next",
                 "ok 5 - tab here",
                 "ok 6 # no name",
                 "ok 7 # SKIP no name either",
                 "ok 8 - \\\\\\#",
                 NULL);
    CHECK(t.passed == 7 && t.skipped == 1, "escaped names still count");
}

/* A plain comment must not become a directive in any parser's eyes. */
static void forged_directives(void)
{
    struct capture c = { .n = 0 };
    struct tap t;

    tap_init(&t, capture_sink, &c);
    tap_result(&t, false, "a", TAP_NONE, "skipped 3 of 4 iterations");
    tap_result(&t, false, "b", TAP_NONE, "TODO: look at this");
    tap_result(&t, true, "c", TAP_NONE, " Skip");
    tap_result(&t, true, "d", TAP_NONE, "sk");
    expect_lines(&c, "forged directives",
                 "not ok 1 - a # note: skipped 3 of 4 iterations",
                 "not ok 2 - b # note: TODO: look at this",
                 "ok 3 - c # note:  Skip",
                 "ok 4 - d # sk",
                 NULL);
    CHECK(t.failed == 2 && t.skipped == 0, "a comment is not a directive");
}

static void yaml_and_diag(void)
{
    struct capture c = { .n = 0 };
    struct tap t;

    tap_init(&t, capture_sink, &c);
    tap_result(&t, false, "litmus/x", TAP_NONE, NULL);
    tap_yaml(&t, "histogram:\n  - \"0:r0=1\": %d\n  - \"0:r0=0\": %d\n", 7, 3);
    tap_yaml(&t, "cr: a\rb");
    tap_yaml_end(&t);
    tap_yaml_end(&t);                           /* a second end prints nothing */
    tap_diag(&t, "one\ntwo\n\nthree");
    tap_diag(&t, "trailing newline\n");
    tap_diag(&t, "%s", "");
    tap_diag(&t, "cr\rhere");
    expect_lines(&c, "yaml and diag",
                 "not ok 1 - litmus/x",
                 "  ---",                         /* tap_yaml opens a block itself */
                 "  histogram:",
                 "    - \"0:r0=1\": 7",
                 "    - \"0:r0=0\": 3",
                 "  cr: a b",
                 "  ...",
                 "# one",
                 "# two",
                 "#",
                 "# three",
                 "# trailing newline",
                 "#",
                 "# cr here",
                 NULL);

    /* An open block is closed before any other line. */
    tap_result(&t, true, "y", TAP_NONE, NULL);
    tap_yaml_begin(&t);
    tap_yaml_begin(&t);                         /* no second "---" */
    tap_yaml(&t, "k: v");
    tap_result(&t, true, "z", TAP_NONE, NULL);
    tap_yaml_begin(&t);
    tap_diag(&t, "note");
    tap_yaml_begin(&t);
    tap_summary(&t);
    tap_yaml_begin(&t);
    tap_exit_line(&t, 0);
    expect_lines(&c, "yaml closed by other lines",
                 "ok 2 - y", "  ---", "  k: v", "  ...",
                 "ok 3 - z", "  ---", "  ...", "# note",
                 "  ---", "  ...", "# summary: 2 passed, 1 failed, 0 skipped, 3 unplanned",
                 "  ---", "  ...", "# exit: status=0",
                 NULL);
}

static void summary_and_status(void)
{
    struct capture c = { .n = 0 };
    struct tap t;

    tap_init(&t, capture_sink, &c);
    CHECK(tap_status(&t) == 0, "nothing planned, nothing run: status 0");
    tap_plan(&t, 3);
    CHECK(tap_status(&t) == 1, "planned but not run: status 1");
    tap_result(&t, true, "a", TAP_NONE, NULL);
    tap_result(&t, true, "b", TAP_SKIP, "x");
    tap_summary(&t);
    CHECK(tap_status(&t) == 1, "one missing: status 1");
    tap_result(&t, false, "c", TAP_TODO, "x");
    CHECK(tap_status(&t) == 0, "all ran, TODO is not a failure: status 0");
    tap_summary(&t);
    tap_result(&t, true, "d", TAP_NONE, NULL);
    CHECK(tap_status(&t) == 1, "more results than planned: status 1");
    tap_summary(&t);
    tap_exit_line(&t, -3);
    tap_exit_line(&t, 255);
    tap_plan(&t, 0);
    tap_plan(&t, 4294967295u);
    tap_skip_all(&t, "list: tests listed\nno test run");
    expect_lines(&c, "summary lines",
                 "1..3",
                 "ok 1 - a",
                 "ok 2 - b # SKIP x",
                 "# summary: 1 passed, 0 failed, 1 skipped, 1 missing",
                 "not ok 3 - c # TODO x",
                 "# summary: 1 passed, 0 failed, 2 skipped",
                 "ok 4 - d",
                 "# summary: 2 passed, 0 failed, 2 skipped, 1 unplanned",
                 "# exit: status=-3",
                 "# exit: status=255",
                 "1..0",
                 "1..4294967295",
                 "1..0 # SKIP list: tests listed no test run",
                 NULL);
    CHECK(t.planned == 0, "a skipped-all plan plans nothing: %u", t.planned);

    tap_init(&t, capture_sink, &c);
    tap_plan(&t, 2);
    tap_result(&t, true, "a", TAP_NONE, NULL);
    tap_result(&t, true, "b", TAP_NONE, NULL);
    CHECK(tap_status(&t) == 0, "all passed: status 0");
    capture_reset(&c);
}

/* Over-long names and comments are cut inside the line buffer; a SKIP or
 * TODO directive survives any name length; escapes are never split. */
static void truncation(void)
{
    struct capture c = { .n = 0 };
    struct tap t;
    char name[2000], comment[2000];

    memset(name, 'n', sizeof(name) - 1);
    name[sizeof(name) - 1] = 0;
    memset(comment, 'c', sizeof(comment) - 1);
    comment[sizeof(comment) - 1] = 0;
    tap_init(&t, capture_sink, &c);
    tap_result(&t, true, name, TAP_SKIP, comment);
    tap_result(&t, false, name, TAP_TODO, NULL);
    tap_result(&t, true, name, TAP_NONE, comment);
    memset(name, '#', sizeof(name) - 1);
    tap_result(&t, true, name, TAP_NONE, NULL);
    tap_diag(&t, "%s", comment);
    tap_yaml(&t, "k: %s", comment);
    CHECK(c.n == 7, "%d lines", c.n);
    if (c.n == 7) {
        CHECK(!strncmp(c.line[0], "ok 1 - nnn", 10) && strstr(c.line[0], "nnn # SKIP ccc"),
              "SKIP kept: %.40s...", c.line[0]);
        CHECK(strlen(c.line[0]) == 511, "SKIP line filled to 511: %zu", strlen(c.line[0]));
        const char *todo = c.line[1] + strlen(c.line[1]) - 7;
        CHECK(!strcmp(todo, " # TODO"), "TODO kept at the end: %s", todo);
        CHECK(!strncmp(c.line[3], "ok 4 - \\#\\#", 11), "escaped: %.20s", c.line[3]);
        size_t hashes = strlen(c.line[3]) - strlen("ok 4 - ");
        CHECK(hashes % 2 == 0, "no escape pair split (%zu chars)", hashes);
        CHECK(c.line[4][0] == '#' && strlen(c.line[4]) == 511, "diag cut at 511: %zu",
              strlen(c.line[4]));
        CHECK(!strcmp(c.line[5], "  ---") && !strncmp(c.line[6], "  k: ccc", 8), "yaml cut");
    }
    capture_reset(&c);
}

static void no_sink(void)
{
    struct tap t;

    tap_init(&t, NULL, NULL);                   /* counting still works */
    tap_plan(&t, 1);
    tap_result(&t, true, "x", TAP_NONE, NULL);
    tap_yaml(&t, "k: v");
    tap_diag(&t, "d");
    CHECK(t.passed == 1 && tap_status(&t) == 0, "no sink");
}

int main(void)
{
    design_example();
    directives();
    escaping();
    forged_directives();
    yaml_and_diag();
    summary_and_status();
    truncation();
    no_sink();
    return check_finish("tap");
}
