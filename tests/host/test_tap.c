/* The TAP emitter produces exactly the lines DESIGN.md section 4 shows. */
#include "check.h"
#include "tap.h"
#include <string.h>

static char out[64][600];
static int n;

static void sink(void *ctx, const char *line)
{
    (void)ctx;
    snprintf(out[n++ % 64], sizeof(out[0]), "%s", line);
}

#define LAST(k) out[(n - (k)) % 64]

int main(void)
{
    struct tap t;

    tap_init(&t, sink, NULL);
    tap_version(&t);
    CHECK(!strcmp(LAST(1), "TAP version 14"), "%s", LAST(1));
    tap_plan(&t, 5);
    CHECK(!strcmp(LAST(1), "1..5"), "%s", LAST(1));
    tap_result(&t, true, "smp/online", TAP_NONE, "4 of 4 cpus");
    CHECK(!strcmp(LAST(1), "ok 1 - smp/online # 4 of 4 cpus"), "%s", LAST(1));
    tap_result(&t, false, "mmio/locked-index-data", TAP_NONE, NULL);
    CHECK(!strcmp(LAST(1), "not ok 2 - mmio/locked-index-data"), "%s", LAST(1));
    tap_yaml_begin(&t);
    tap_yaml(&t, "expected: %s", "never");
    tap_yaml_end(&t);
    CHECK(!strcmp(LAST(3), "  ---") && !strcmp(LAST(2), "  expected: never") &&
          !strcmp(LAST(1), "  ..."), "yaml block");
    tap_result(&t, true, "irq/ipi", TAP_SKIP, "needs 2 cpus");
    CHECK(!strcmp(LAST(1), "ok 3 - irq/ipi # SKIP needs 2 cpus"), "%s", LAST(1));
    tap_result(&t, false, "a#b\\c\nd", TAP_TODO, "x#y");
    CHECK(!strcmp(LAST(1), "not ok 4 - a\\#b\\\\c d # TODO x\\#y"), "%s", LAST(1));
    tap_diag(&t, "two\nlines");
    CHECK(!strcmp(LAST(2), "# two") && !strcmp(LAST(1), "# lines"), "%s / %s", LAST(2), LAST(1));
    tap_summary(&t);
    CHECK(!strcmp(LAST(1), "# summary: 1 passed, 1 failed, 2 skipped, 1 missing"), "%s", LAST(1));
    CHECK(tap_status(&t) == 1, "status with a failure");
    tap_exit_line(&t, 1);
    CHECK(!strcmp(LAST(1), "# exit: status=1"), "%s", LAST(1));

    struct tap ok;
    tap_init(&ok, sink, NULL);
    tap_plan(&ok, 1);
    CHECK(tap_status(&ok) == 1, "a planned test that never ran is a failure");
    tap_result(&ok, true, "x", TAP_NONE, "");
    CHECK(tap_status(&ok) == 0, "all passed");
    CHECK(!strcmp(LAST(1), "ok 1 - x"), "empty comment adds nothing: %s", LAST(1));

    char longname[2000];
    memset(longname, 'n', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = 0;
    tap_result(&ok, true, longname, TAP_NONE, longname);
    CHECK(strlen(LAST(1)) < 512, "long lines are truncated safely");
    return host_finish("tap");
}
