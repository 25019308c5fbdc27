/* The test runner (runner/): which tests run, in which order, and the
 * run itself on the boot CPU. */
#ifndef ORDERLY_RUNNER_H
#define ORDERLY_RUNNER_H

#include "test.h"

/* Every registered test in run order (by group, bring-up first and the
 * negative controls last, then by name) into out[max]; the count. */
unsigned order_tests(const struct test **out, unsigned max);
/* Does tests=/skip= select t (a hidden test only by its exact name)? */
bool test_selected(const struct test *t);
/* A "# warning:" for every pattern in tests= that selects nothing. */
void warn_unmatched_patterns(void);

/* Header, every selected test, summary, exit: the boot CPU ends here. */
__noreturn void run_tests(void);

#endif
