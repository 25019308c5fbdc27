/* Which tests run and in which order (include/runner.h): tests= and skip=
 * globs, hidden negative controls only by exact name, groups in bring-up
 * order. */
#include "console.h"
#include "options.h"
#include "runner.h"
#include <string.h>

extern const struct test __start_orderly_tests[], __stop_orderly_tests[];

static bool has_wildcard(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == '*' || s[i] == '?' || s[i] == '[')
            return true;
    return false;
}

/* A hidden test (negative control) runs only when named exactly. */
static bool named_exactly(const char *list, const char *name)
{
    size_t len = strlen(name);
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        if (n == len && !strncmp(p, name, n))
            return true;
        p += n + (p[n] == ',');
    }
    return false;
}

bool test_selected(const struct test *t)
{
    const struct run_options *o = run_options();

    if (o->skip[0] && glob_match_list(o->skip, t->name))
        return false;
    if (t->flags & TEST_HIDDEN)
        return named_exactly(o->tests, t->name);
    return glob_match_list(o->tests, t->name);
}

void warn_unmatched_patterns(void)
{
    char pat[BOOTARG_STR_MAX];
    for (const char *p = run_options()->tests; *p;) {
        size_t n = strcspn(p, ",");
        if (n && n < sizeof(pat)) {
            memcpy(pat, p, n);
            pat[n] = 0;
            bool any = false;
            for (const struct test *t = __start_orderly_tests; t < __stop_orderly_tests && !any; t++)
                any = glob_match(pat, t->name) &&
                      (!(t->flags & TEST_HIDDEN) || !has_wildcard(pat, n));
            if (!any)
                pr("# warning: bootargs: tests=%s selects no test (ignored)\n", pat);
        }
        p += n + (p[n] == ',');
    }
}

/* ---- order: by group (bring-up first, negative controls last), then name ---- */
static const char *const group_order[] = {
    "smp/", "mmu/", "irq/", "atomic/", "litmus/", "mmio/", "dma/", "virt/", "selftest/",
};

static unsigned group_rank(const char *name)
{
    for (unsigned i = 0; i < ARRAY_SIZE(group_order); i++)
        if (!strncmp(name, group_order[i], strlen(group_order[i])))
            return i;
    return ARRAY_SIZE(group_order) - 1;     /* unknown groups just before selftest */
}

static bool test_before(const struct test *a, const struct test *b)
{
    unsigned ra = group_rank(a->name), rb = group_rank(b->name);
    return ra != rb ? ra < rb : strcmp(a->name, b->name) < 0;
}

unsigned order_tests(const struct test **out, unsigned max)
{
    unsigned n = 0;

    for (const struct test *t = __start_orderly_tests; t < __stop_orderly_tests; t++) {
        if (n == max) {
            pr("# warning: more than %u tests registered; the rest are not run\n", n);
            break;
        }
        unsigned i = n++;
        while (i > 0 && test_before(t, out[i - 1])) {      /* insertion sort */
            out[i] = out[i - 1];
            i--;
        }
        out[i] = t;
    }
    return n;
}
