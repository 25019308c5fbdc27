/* lib/bootargs.c: option types, every kind of problem and its message,
 * number parsing, and glob matching. */
#include "check.h"
#include "bootargs.h"
#include <string.h>

/* Warnings are collected; each test looks at the last one and the count. */
struct warnings {
    char last[256];
    int n;
};

static void collect(void *ctx, const char *msg)
{
    struct warnings *w = ctx;

    snprintf(w->last, sizeof(w->last), "%s", msg);
    w->n++;
}

static struct {
    bool list, verbose;
    uint32_t timeout, runs;
    uint64_t mask;
    char tests[BOOTARG_STR_MAX];
    bool seen_timeout, seen_tests;
} o;

static const struct bootarg_opt opts[] = {
    { "list", BOOTARG_FLAG, &o.list, NULL, "list the tests" },
    { "verbose", BOOTARG_FLAG, &o.verbose, NULL, "say more" },
    { "timeout", BOOTARG_U32, &o.timeout, &o.seen_timeout, "ms" },
    { "mask", BOOTARG_U64, &o.mask, NULL, "a mask" },
    { "runs", BOOTARG_U32_POS, &o.runs, NULL, "a budget" },
    { "tests", BOOTARG_STR, o.tests, &o.seen_tests, "globs" },
};
#define NOPTS (sizeof(opts) / sizeof(opts[0]))

static void defaults(void)
{
    memset(&o, 0, sizeof(o));
    o.timeout = 10000;
    o.runs = 100;
    o.mask = 7;
    strcpy(o.tests, "*");
}

/* Parse cmdline from the defaults; check the problem count and, when
 * `msg` is given, the last warning's exact text. */
static void parse(const char *cmdline, int problems, const char *msg)
{
    struct warnings w = { .n = 0 };
    char what[300];

    defaults();
    int r = bootargs_parse(cmdline, opts, NOPTS, collect, &w);
    snprintf(what, sizeof(what), "'%.200s'", cmdline ? cmdline : "(NULL)");
    CHECK(r == problems, "%s: %d problems, expected %d (last: %s)", what, r, problems, w.last);
    CHECK(w.n == r, "%s: %d warnings for %d problems", what, w.n, r);
    if (msg)
        CHECK_STR(w.last, msg, what);
}

static void types(void)
{
    parse("list timeout=250 mask=0xdeadbeef00 tests=smp/*,mmu/*", 0, NULL);
    CHECK(o.list && !o.verbose, "flag set");
    CHECK(o.timeout == 250 && o.seen_timeout, "u32 %u", o.timeout);
    CHECK(o.mask == 0xdeadbeef00ull, "u64 %llx", (unsigned long long)o.mask);
    CHECK_STR(o.tests, "smp/*,mmu/*", "string");
    CHECK(o.seen_tests, "seen set");

    parse("", 0, NULL);
    CHECK(o.timeout == 10000 && !o.seen_timeout && !o.list && !strcmp(o.tests, "*"),
          "empty command line keeps defaults");
    parse(NULL, 0, NULL);
    CHECK(o.timeout == 10000 && !o.seen_timeout, "NULL command line keeps defaults");
    parse("   \t  ", 0, NULL);

    parse("  list    timeout=5\t\tverbose \n tests=a ", 0, NULL);
    CHECK(o.list && o.verbose && o.timeout == 5 && !strcmp(o.tests, "a"), "many separators");

    parse("list=1 verbose=0", 0, NULL);
    CHECK(o.list && !o.verbose, "flag =1 / =0");
    parse("verbose verbose=0", 0, NULL);
    CHECK(!o.verbose, "the last occurrence wins");
    parse("timeout=1 timeout=2", 0, NULL);
    CHECK(o.timeout == 2, "last number wins");

    parse("tests=a=b", 0, NULL);
    CHECK_STR(o.tests, "a=b", "a value may contain '='");
    parse("tests=", 0, NULL);
    CHECK_STR(o.tests, "", "an empty string value clears the string");
    CHECK(o.seen_tests, "empty string is given");

    parse("timeout=0 mask=0", 0, NULL);
    CHECK(o.timeout == 0 && o.mask == 0, "zero");
    parse("timeout=4294967295 mask=18446744073709551615", 0, NULL);
    CHECK(o.timeout == UINT32_MAX && o.mask == UINT64_MAX, "maxima");
    parse("timeout=0xFFFFFFFF mask=0XfFfFfFfFfFfFfFfF", 0, NULL);
    CHECK(o.timeout == UINT32_MAX && o.mask == UINT64_MAX, "hex maxima, either case");
    parse("timeout=010", 0, NULL);
    CHECK(o.timeout == 10, "a leading zero is decimal, not octal: %u", o.timeout);
}

static void problems(void)
{
    parse("foo=1", 1, "bootargs: unknown option 'foo=1' (ignored)");
    parse("list foo bar=2 timeout=3", 2, "bootargs: unknown option 'bar=2' (ignored)");
    CHECK(o.list && o.timeout == 3, "good options around unknown ones still apply");
    parse("LIST", 1, "bootargs: unknown option 'LIST' (ignored)");
    parse("lis", 1, "bootargs: unknown option 'lis' (ignored)");
    parse("listx", 1, "bootargs: unknown option 'listx' (ignored)");
    parse("=5", 1, "bootargs: unknown option '=5' (ignored)");
    /* bytes that are not printable ASCII are shown escaped, never raw */
    parse("list \x1b[2J\x07\x7f\xfe\xff", 1,
          "bootargs: unknown option '\\x1b[2J\\x07\\x7f\\xfe\\xff' (ignored)");
    {
        char buf[9];
        const char *s = "ab\x1b\xff" "cdefgh", *start = s;
        CHECK_STR(bootargs_escape(buf, sizeof(buf), &s), "ab\\x1b", "escape: first piece");
        CHECK(s == start + 3, "escape: advanced past the bytes copied");
        CHECK_STR(bootargs_escape(buf, sizeof(buf), &s), "\\xffcdef", "escape: second piece");
        CHECK_STR(bootargs_escape(buf, sizeof(buf), &s), "gh", "escape: last piece");
        CHECK(!*s, "escape: all consumed");
    }
    parse("timeout=1\x01", 1,
          "bootargs: option 'timeout=1\\x01' is not a decimal or 0x-hex number (ignored)");

    parse("timeout=12x", 1,
          "bootargs: option 'timeout=12x' is not a decimal or 0x-hex number (ignored)");
    CHECK(o.timeout == 10000 && !o.seen_timeout, "a bad number keeps the default");
    parse("timeout=-1", 1, "bootargs: option 'timeout=-1' is not a decimal or 0x-hex number (ignored)");
    parse("timeout=+1", 1, "bootargs: option 'timeout=+1' is not a decimal or 0x-hex number (ignored)");
    parse("timeout=0x", 1, "bootargs: option 'timeout=0x' is not a decimal or 0x-hex number (ignored)");
    parse("timeout=0xg", 1, "bootargs: option 'timeout=0xg' is not a decimal or 0x-hex number (ignored)");
    parse("timeout=1e3", 1, "bootargs: option 'timeout=1e3' is not a decimal or 0x-hex number (ignored)");
    parse("runs=0", 1, "bootargs: option 'runs=0' must be at least 1 (ignored)");
    CHECK(o.runs == 100, "a zero budget keeps the default: %u", o.runs);
    parse("runs=0x0", 1, "bootargs: option 'runs=0x0' must be at least 1 (ignored)");
    parse("runs=1", 0, NULL);
    CHECK(o.runs == 1, "a budget of 1 is taken: %u", o.runs);
    parse("timeout=0", 0, NULL);
    CHECK(o.timeout == 0, "a plain u32 takes 0: %u", o.timeout);
    parse("timeout=4294967296", 1,
          "bootargs: option 'timeout=4294967296' is out of range (32 bits) (ignored)");
    CHECK(o.timeout == 10000, "overflow keeps the default");
    parse("mask=18446744073709551616", 1,
          "bootargs: option 'mask=18446744073709551616' is out of range (64 bits) (ignored)");
    CHECK(o.mask == 7, "u64 overflow keeps the default");
    parse("mask=0x10000000000000000", 1,
          "bootargs: option 'mask=0x10000000000000000' is out of range (64 bits) (ignored)");
    parse("timeout=99999999999999999999999x", 1,
          "bootargs: option 'timeout=99999999999999999999999x' is not a decimal or 0x-hex number (ignored)");
    parse("timeout", 1, "bootargs: option 'timeout' needs a value (ignored)");
    parse("timeout=", 1, "bootargs: option 'timeout=' needs a value (ignored)");
    parse("tests", 1, "bootargs: option 'tests' needs a value (ignored)");
    CHECK_STR(o.tests, "*", "a string without a value keeps its default");

    parse("list=yes", 1, "bootargs: flag 'list=yes' takes no value but 0 or 1 (ignored)");
    CHECK(!o.list, "a flag with a bad value stays unset");
    parse("list=", 1, "bootargs: flag 'list=' takes no value but 0 or 1 (ignored)");
    parse("list=2", 1, "bootargs: flag 'list=2' takes no value but 0 or 1 (ignored)");
    parse("list=01", 1, "bootargs: flag 'list=01' takes no value but 0 or 1 (ignored)");
}

static void long_strings(void)
{
    char cmd[700], want[300];
    struct warnings w = { .n = 0 };

    /* 255 characters fit (with the NUL), 256 do not. */
    memset(cmd, 0, sizeof(cmd));
    strcpy(cmd, "tests=");
    memset(cmd + 6, 'a', 255);
    parse(cmd, 0, NULL);
    CHECK(strlen(o.tests) == 255, "255 characters kept: %zu", strlen(o.tests));
    cmd[6 + 255] = 'a';
    snprintf(want, sizeof(want),
             "bootargs: option 'tests=%.54s...' is too long (255 characters at most) (ignored)",
             cmd + 6);
    parse(cmd, 1, want);
    CHECK_STR(o.tests, "*", "an overlong string is refused whole, not truncated");

    /* A very long unknown word is quoted in part. */
    memset(cmd, 'z', 600);
    cmd[600] = 0;
    snprintf(want, sizeof(want), "bootargs: unknown option '%.60s...' (ignored)", cmd);
    parse(cmd, 1, want);

    /* No warning function: problems are still counted. */
    defaults();
    CHECK(bootargs_parse("foo timeout=x list", opts, NOPTS, NULL, NULL) == 2 && o.list,
          "NULL warn");
    CHECK(bootargs_parse("list", NULL, 0, collect, &w) == 1 && w.n == 1, "no options at all");
}

static void numbers(void)
{
    static const struct { const char *s; bool ok; uint64_t v; } cases[] = {
        { "0", true, 0 }, { "00", true, 0 }, { "7", true, 7 }, { "010", true, 10 },
        { "4294967296", true, 4294967296ull },
        { "18446744073709551615", true, UINT64_MAX },
        { "18446744073709551616", false, 0 },
        { "99999999999999999999", false, 0 },
        { "0x0", true, 0 }, { "0x1f", true, 31 }, { "0X1F", true, 31 }, { "0xAbC", true, 0xabc },
        { "0xffffffffffffffff", true, UINT64_MAX },
        { "0x0000000000000000000001", true, 1 },
        { "0x10000000000000000", false, 0 },
        { "", false, 0 }, { "0x", false, 0 }, { "x1", false, 0 }, { "-1", false, 0 },
        { "+1", false, 0 }, { " 1", false, 0 }, { "1 ", false, 0 }, { "1a", false, 0 },
        { "0xg", false, 0 }, { "0x-1", false, 0 }, { "1.5", false, 0 }, { "0b101", false, 0 },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint64_t v = 12345;
        bool ok = parse_u64(cases[i].s, strlen(cases[i].s), &v);
        CHECK(ok == cases[i].ok, "parse_u64(\"%s\") returned %d", cases[i].s, ok);
        if (ok && cases[i].ok)
            CHECK(v == cases[i].v, "parse_u64(\"%s\") = %llu", cases[i].s, (unsigned long long)v);
        if (!ok)
            CHECK(v == 12345, "parse_u64(\"%s\") wrote on failure", cases[i].s);
    }
    uint64_t v = 0;
    CHECK(parse_u64("123abc", 3, &v) && v == 123, "only len bytes are read");
    CHECK(parse_u64("0x1fz", 4, &v) && v == 0x1f, "hex prefix within len");
    CHECK(!parse_u64("0x1", 2, &v), "\"0x\" cut by len is not a number");
    CHECK(!parse_u64(NULL, 0, &v), "NULL");
}

static void globs(void)
{
    static const struct { const char *pat, *str; bool match; } cases[] = {
        { "*", "smp/online", true }, { "*", "", true }, { "*", "a/b/c", true },
        { "", "", true }, { "", "a", false }, { "a", "", false },
        { "smp/*", "smp/online", true }, { "smp/*", "smp/", true },
        { "smp/*", "smpx/online", false }, { "smp/*", "mmu/smp/online", false },
        { "smp/*", "smp", false },
        { "litmus/SB+*", "litmus/SB+poonceonces", true },
        { "litmus/SB+*", "litmus/SB+fencembonceonces", true },
        { "litmus/SB+*", "litmus/MP+poonceonces", false },
        { "litmus/SB+*", "litmus/SB", false },
        { "*/online", "smp/online", true }, { "*online", "smp/online", true },
        { "*o*n*e", "smp/online", true }, { "*x*", "smp/online", false },
        { "?", "a", true }, { "?", "", false }, { "?", "ab", false },
        { "??", "ab", true }, { "smp/?nline", "smp/online", true }, { "a?c", "a/c", true },
        { "[abc]", "b", true }, { "[abc]", "d", false }, { "[a-c]x", "bx", true },
        { "[a-c]", "-", false }, { "[!a]", "b", true }, { "[!a]", "a", false },
        { "[!a-z]", "Q", true }, { "[!a-z]", "q", false },
        { "[]]", "]", true }, { "[]a]", "a", true }, { "[!]]", "]", false }, { "[!]]", "x", true },
        { "[a-]", "-", true }, { "[-a]", "-", true }, { "[ab", "[ab", true }, { "[ab", "a", false },
        { "[", "[", true }, { "x[", "x[", true }, { "[!", "[!", true },
        { "litmus/[SM][BP]+*", "litmus/MP+poonceonces", true },
        { "litmus/[SM][BP]+*", "litmus/LB+poonceonces", false },
        { "a\\b", "a\\b", true }, { "a\\*", "a\\xyz", true },   /* no escaping */
        { "*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac", false },
        { "*a*b*c*", "xxaxxbxxcxx", true }, { "*a*b*c*", "xxcxxbxxaxx", false },
        { "a*", "a", true }, { "*a", "ba", true }, { "*a", "ab", false },
        { "**", "x", true }, { "a**b", "ab", true },
        { "SMP/*", "smp/online", false },                       /* case matters */
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        CHECK(glob_match(cases[i].pat, cases[i].str) == cases[i].match,
              "glob_match(\"%s\", \"%s\") should be %d", cases[i].pat, cases[i].str,
              cases[i].match);
    CHECK(!glob_match(NULL, "a") && !glob_match("a", NULL), "NULL");
}

static void glob_lists(void)
{
    static const struct { const char *list, *str; bool match; } cases[] = {
        { "smp/*,mmu/*", "mmu/attributes", true }, { "smp/*,mmu/*", "smp/online", true },
        { "smp/*,mmu/*", "irq/timer", false },
        { "", "smp/online", false }, { ",", "smp/online", false }, { ",,", "", false },
        { "a,,b", "b", true }, { "a,", "a", true }, { ",a", "a", true },
        { "smp/online", "smp/online", true }, { "smp/online", "smp/onlinex", false },
        { "x,*", "anything", true }, { "x,?", "y", true }, { "x,?", "yy", false },
        { "litmus/SB+*,litmus/MP+*", "litmus/MP+fence", true },
        { "[a,b]", "a", false },            /* the comma splits first: no sets with ',' */
        { "smp/*", "smp", false },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        CHECK(glob_match_list(cases[i].list, cases[i].str) == cases[i].match,
              "glob_match_list(\"%s\", \"%s\") should be %d", cases[i].list, cases[i].str,
              cases[i].match);
    CHECK(!glob_match_list(NULL, "x"), "NULL list matches nothing");
}

int main(void)
{
    types();
    problems();
    long_strings();
    numbers();
    globs();
    glob_lists();
    return check_finish("bootargs");
}
