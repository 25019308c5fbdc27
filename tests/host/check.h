/* Minimal host test harness: CHECK() counts, the program ends with the
 * plain "N passed, N failed" line. */
#ifndef HOST_CHECK_H
#define HOST_CHECK_H

#include <stdio.h>

static int host_passed, host_failed;

#define CHECK(cond, ...) do {                                            \
    if (cond) {                                                          \
        host_passed++;                                                   \
    } else {                                                             \
        host_failed++;                                                   \
        fprintf(stderr, "%s:%d: FAILED: %s: ", __FILE__, __LINE__, #cond); \
        fprintf(stderr, __VA_ARGS__);                                    \
        fputc('\n', stderr);                                             \
    }                                                                    \
} while (0)

static inline int host_finish(const char *what)
{
    printf("%s: %d passed, %d failed\n", what, host_passed, host_failed);
    return host_failed != 0;
}

#endif
