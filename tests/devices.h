/* What the device tests share: the devices of this run, or the verdict
 * that says why there is none. */
#ifndef ORDERLY_TESTS_DEVICES_H
#define ORDERLY_TESTS_DEVICES_H

#include "edu.h"
#include "report.h"

/* The edu, or NULL after a skip (the platform has none) or a failure (it
 * has one the image cannot use). */
static inline struct edu *test_edu(void)
{
    bool present;
    const char *why;
    struct edu *e = edu_get(&why, &present);

    if (!e && present)
        test_fail("%s", why);
    else if (!e)
        test_skip("%s", why);
    return e;
}

#endif
