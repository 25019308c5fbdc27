/* TAP version 14 emitter (DESIGN.md section 4). Host-buildable.
 *
 * Output goes line by line through a sink, so a run cut short still
 * parses. Descriptions have '#' and '\' escaped as TAP 14 requires, and
 * newlines (all control characters) replaced, so a test name can never
 * forge a directive or a line. Each line is built in a 512-byte stack
 * buffer and cut to fit (a SKIP/TODO directive always survives the cut).
 */
#ifndef ORDERLY_TAP_H
#define ORDERLY_TAP_H

#include <stdarg.h>
#include <stdbool.h>

typedef void (*tap_sink_fn)(void *ctx, const char *line); /* line has no '\n' */

struct tap {
    tap_sink_fn sink;
    void *ctx;
    unsigned planned, emitted, passed, failed, skipped;
    bool in_yaml;
};

enum tap_directive { TAP_NONE, TAP_SKIP, TAP_TODO };

void tap_init(struct tap *t, tap_sink_fn sink, void *ctx);
void tap_version(struct tap *t);                 /* "TAP version 14" */
void tap_plan(struct tap *t, unsigned n);        /* "1..n" */
/* "1..0 # SKIP reason": no test runs, and that was asked for (a listing),
 * unlike a plain "1..0", a selection that matched nothing. */
void tap_skip_all(struct tap *t, const char *reason);
/* "ok 3 - name # comment" / "not ok 3 - name # SKIP reason". A SKIP
 * counts as skipped (and TAP-ok); TODO counts as failed-expected: it is
 * printed as "not ok ... # TODO" and counted as skipped, never passed.
 * A NULL or empty name gives "ok 3 # ...". A plain comment that starts
 * with "skip" or "todo" (any case) is printed as "# note: ..." so that no
 * parser takes it for a directive. */
void tap_result(struct tap *t, bool ok, const char *name,
                enum tap_directive dir, const char *comment);
/* YAML block under the last result: "  ---", "  key: value" lines, "  ...".
 * tap_yaml opens a block if none is open and gives one indented line per
 * '\n'-separated piece; any other line closes an open block first. */
void tap_yaml_begin(struct tap *t);
void tap_yaml(struct tap *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tap_yaml_end(struct tap *t);
/* "# ..." comment line(s); embedded newlines give several comment lines
 * (an empty one is a bare "#"). */
void tap_diag(struct tap *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tap_vdiag(struct tap *t, const char *fmt, va_list ap);
/* "# summary: P passed, F failed, S skipped" (plus ", N missing" when fewer
 * results than planned were emitted, ", N unplanned" when more). */
void tap_summary(struct tap *t);
/* "# exit: status=N" */
void tap_exit_line(struct tap *t, int status);
/* 0 when exactly the planned number of results was emitted and none
 * failed, else 1. */
int tap_status(const struct tap *t);

#endif
