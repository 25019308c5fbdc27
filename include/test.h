/* What a test file includes: tests register themselves, the runner on
 * the boot CPU runs them one at a time with a timeout and reports TAP 14.
 *
 *   TEST(smp_online, .name = "smp/online") { check(n == m, "..."); }
 *
 * Inside a test: the report API (report.h: check(), test_fail(), ...),
 * on_cpus() to run a function on several CPUs at once (on_cpus.h), and
 * OPTION() for a bootargs option of the file's own (options.h). */
#ifndef ORDERLY_TEST_H
#define ORDERLY_TEST_H

#include "compiler.h"
#include "on_cpus.h"
#include "options.h"
#include "report.h"

enum test_flags {
    TEST_HIDDEN = 1u << 0,   /* runs only when named without wildcards
                                (negative controls that must fail) */
};

struct test {
    const char *name;        /* "group/name" */
    void (*fn)(void);
    int min_cpus;            /* skip when fewer CPUs are online */
    unsigned timeout_ms;     /* 0: the default (bootargs timeout=) */
    unsigned flags;
} __aligned(8);     /* TEST() entries form an array in their section: no padding between */

#define TEST(id, ...)                                                        \
    static void id(void);                                                    \
    static const struct test __test_##id __used                              \
        __section("orderly_tests") __aligned(8) = { .fn = id, __VA_ARGS__ }; \
    static void id(void)

#endif
