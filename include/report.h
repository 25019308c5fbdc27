/* The report API (kvm-unit-tests' report.c in spirit): what a test says
 * about itself, gathered while it runs and emitted as one TAP 14 result
 * with a YAML block when it ends.
 *
 * Inside a test: check()/test_fail()/test_skip()/test_todo() decide the
 * verdict, test_note() sets the text after '#' on the result line,
 * test_yaml() adds "key: value" detail lines, test_diag() prints a
 * comment now. Any CPU may call them while the test runs. */
#ifndef ORDERLY_REPORT_H
#define ORDERLY_REPORT_H

#include "compiler.h"

struct tap;

bool check(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void test_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void test_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* An expected failure (TAP TODO): reported with its numbers, never a pass. */
void test_todo(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void test_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void test_yaml(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void test_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool test_failed(void);
const char *test_current_name(void);

/* ---- for the runner ---- */
/* The TAP stream on the console; exceptions inside a test are recorded
 * in its report from here on. */
void report_init(void);
struct tap *report_tap(void);
/* A test starts (its state cleared) / ends (its result line and YAML). */
void report_begin(const char *name);
void report_end(void);

#endif
