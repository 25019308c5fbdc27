/* The test framework: tests register themselves, the runner on the boot
 * CPU runs them one at a time with a timeout and reports TAP 14.
 *
 *   TEST(smp_online, .name = "smp/online") { check(n == m, "..."); }
 *
 * Inside a test: check()/test_fail()/test_skip() decide the verdict,
 * test_note() sets the text after '#' on the result line, test_yaml()
 * adds "key: value" detail lines, test_diag() prints a comment now, and
 * on_cpus() runs a function on several CPUs at once. */
#ifndef ORDERLY_TEST_H
#define ORDERLY_TEST_H

#include "compiler.h"
#include "bootargs.h"

enum test_dev {
    DEV_NONE = 0,
    DEV_FWCFG = 1u << 0,
    DEV_VIRTIO = 1u << 1,
    DEV_PCI = 1u << 2,
};

enum test_flags {
    TEST_HIDDEN = 1u << 0,   /* runs only when named without wildcards
                                (negative controls that must fail) */
};

struct test {
    const char *name;        /* "group/name" */
    void (*fn)(void);
    int min_cpus;            /* skip when fewer CPUs are online */
    unsigned devices;        /* enum test_dev bits needed */
    unsigned timeout_ms;     /* 0: the default (bootargs timeout=) */
    unsigned flags;
};

#define TEST(id, ...)                                                        \
    static void id(void);                                                    \
    static const struct test __test_##id __used                              \
        __section("orderly_tests") __aligned(8) = { .fn = id, __VA_ARGS__ }; \
    static void id(void)

/* A bootargs option owned by the file that uses it:
 *   OPTION(my_opt, "group.name", BOOTARG_U32, &var, "help text"); */
#define OPTION(id, name_, type_, ptr_, help_)                                 \
    static const struct bootarg_opt __opt_##id __used                         \
        __section("orderly_options") __aligned(8) = { name_, type_, ptr_, NULL, help_ }

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
/* The run's seed (bootargs seed=), for reproducible random choices. */
uint64_t test_seed(void);

/* Run fn(idx, arg) on `n` online CPUs at once (idx 0 is the calling boot
 * CPU, 1..n-1 the first n-1 secondaries) behind a start rendezvous, and
 * wait up to timeout_ms for all of them. A CPU that faults fails the test;
 * one that does not finish is marked lost and fails the test. Returns the
 * number of CPUs that did not complete normally (0 = all fine). */
int on_cpus(int n, void (*fn)(int idx, void *arg), void *arg, unsigned timeout_ms);

/* As on_cpus(), on the given CPUs: cpus[0] must be 0 (the caller). */
int on_cpu_list(int n, const int *cpus, void (*fn)(int idx, void *arg), void *arg,
                unsigned timeout_ms);

/* Which logical CPU on_cpus() gave index idx. */
int on_cpus_cpu(int idx);

/* Devices found in the DT (enum test_dev bits). */
unsigned devices_present(void);

#endif
