/* Bootargs: every option type, every kind of bad input, glob matching. */
#include "bootargs.h"
#include "check.h"
#include <string.h>

static char warnings[16][200];
static int nwarn;

static void warn(void *ctx, const char *msg)
{
    (void)ctx;
    snprintf(warnings[nwarn++ % 16], sizeof(warnings[0]), "%s", msg);
}

int main(void)
{
    bool list = false, seen_seed = false;
    uint32_t timeout = 7;
    uint64_t seed = 1;
    char tests[BOOTARG_STR_MAX] = "*";
    const struct bootarg_opt opts[] = {
        { "list", BOOTARG_FLAG, &list, NULL, "" },
        { "timeout", BOOTARG_U32, &timeout, NULL, "" },
        { "seed", BOOTARG_U64, &seed, &seen_seed, "" },
        { "tests", BOOTARG_STR, tests, NULL, "" },
    };

    CHECK(bootargs_parse("  list   timeout=0x10 seed=18446744073709551615 tests=smp/*,mmu/*  ",
                         opts, 4, warn, NULL) == 0, "clean parse");
    CHECK(list && timeout == 16 && seed == UINT64_MAX && seen_seed && !strcmp(tests, "smp/*,mmu/*"),
          "values %d %u %llu %s", list, timeout, (unsigned long long)seed, tests);
    CHECK(bootargs_parse(NULL, opts, 4, warn, NULL) == 0, "NULL cmdline");
    CHECK(bootargs_parse("", opts, 4, warn, NULL) == 0, "empty cmdline");

    nwarn = 0;
    CHECK(bootargs_parse("bogus=1", opts, 4, warn, NULL) == 1, "unknown");
    CHECK(!strcmp(warnings[0], "bootargs: unknown option 'bogus=1' (ignored)"), "%s", warnings[0]);
    CHECK(bootargs_parse("timeout=12x", opts, 4, warn, NULL) == 1 && timeout == 16, "junk number");
    CHECK(bootargs_parse("timeout=4294967296", opts, 4, warn, NULL) == 1, "u32 overflow");
    CHECK(bootargs_parse("seed=18446744073709551616", opts, 4, warn, NULL) == 1, "u64 overflow");
    CHECK(bootargs_parse("timeout", opts, 4, warn, NULL) == 1, "missing value");
    CHECK(bootargs_parse("timeout=", opts, 4, warn, NULL) == 1, "empty value");
    CHECK(bootargs_parse("list=yes", opts, 4, warn, NULL) == 1, "flag with a value");
    CHECK(bootargs_parse("list=0", opts, 4, warn, NULL) == 0 && !list, "flag=0");
    char big[400] = "tests=";
    memset(big + 6, 'a', 300);
    CHECK(bootargs_parse(big, opts, 4, warn, NULL) == 1 && !strcmp(tests, "smp/*,mmu/*"),
          "overlong string keeps the default");
    CHECK(bootargs_parse("console=ttyAMA0 tests=irq/*", opts, 4, warn, NULL) == 1 &&
          !strcmp(tests, "irq/*"), "a bad word does not stop the rest");

    uint64_t v;
    CHECK(parse_u64("0", 1, &v) && v == 0, "0");
    CHECK(!parse_u64("0x", 2, &v), "bare 0x");
    CHECK(!parse_u64("", 0, &v), "empty");
    CHECK(parse_u64("0xDEADbeef", 10, &v) && v == 0xdeadbeef, "hex");

    CHECK(glob_match("*", "smp/online"), "*");
    CHECK(glob_match("smp/*", "smp/online") && !glob_match("smp/*", "mmu/x"), "prefix");
    CHECK(glob_match("litmus/SB+*", "litmus/SB+poonceonces"), "plus sign");
    CHECK(glob_match("irq/t?mer", "irq/timer") && !glob_match("irq/t?mer", "irq/tmer"), "?");
    CHECK(glob_match("[a-c]x", "bx") && !glob_match("[a-c]x", "dx") && glob_match("[!a]x", "bx"),
          "sets");
    CHECK(!glob_match("[ab", "a"), "unterminated set matches nothing");
    CHECK(glob_match("*a*b*", "xxaxxbxx") && !glob_match("*a*b", "xxaxxbxx"), "backtracking");
    CHECK(glob_match("", "") && !glob_match("", "x"), "empty pattern");
    CHECK(glob_match_list("mmu/*,smp/online", "smp/online") &&
          !glob_match_list("mmu/*,smp/online", "smp/work"), "list");
    CHECK(!glob_match_list("", "x") && !glob_match_list(",,", "x"), "empty list");
    return host_finish("bootargs");
}
