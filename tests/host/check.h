/* Minimal host test harness. CHECK(cond, fmt, ...) counts a pass or
 * prints the failure with its location; main() ends with
 * `return check_finish("name");`, which prints the plain closing line
 * "name: N passed, N failed" and gives the exit status. */
#ifndef HOST_CHECK_H
#define HOST_CHECK_H

#include <stdio.h>

static unsigned check_passed, check_failed;
/* Stop printing individual failures past this many (the count goes on). */
#define CHECK_PRINT_MAX 50

#define CHECK(cond, ...) do {                                                   \
    if (cond) {                                                                 \
        check_passed++;                                                         \
    } else if (++check_failed <= CHECK_PRINT_MAX) {                             \
        fprintf(stderr, "%s:%d: FAILED (%s): ", __FILE__, __LINE__, #cond);     \
        fprintf(stderr, __VA_ARGS__);                                           \
        fputc('\n', stderr);                                                    \
    }                                                                           \
} while (0)

/* Compare two C strings (either may be NULL) and show both on failure. */
#define CHECK_STR(got, want, what) do {                                         \
    const char *got_ = (got), *want_ = (want);                                  \
    CHECK(got_ && want_ && !strcmp(got_, want_), "%s:\n   got: %s%s%s\n  want: %s%s%s", \
          (what), got_ ? "\"" : "", got_ ? got_ : "(null)", got_ ? "\"" : "",  \
          want_ ? "\"" : "", want_ ? want_ : "(null)", want_ ? "\"" : "");     \
} while (0)

static inline int check_finish(const char *name)
{
    if (check_failed > CHECK_PRINT_MAX)
        fprintf(stderr, "(%u more failures not shown)\n", check_failed - CHECK_PRINT_MAX);
    printf("%s: %u passed, %u failed\n", name, check_passed, check_failed);
    return check_failed != 0;
}

#endif
