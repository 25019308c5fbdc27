/* Bootargs options: the built-in table and every OPTION() linked into the
 * image, parsed once by lib/bootargs.c (include/options.h). */
#include "arch.h"
#include "console.h"
#include "options.h"
#include <string.h>

static struct run_options opt = { .tests = "*", .timeout_ms = 10000, .smp_timeout_ms = 5000,
                                  .seed = 0x5eed };
static char seed_str[32];

static const struct bootarg_opt builtin_options[] = {
    { "tests", BOOTARG_STR, opt.tests, NULL, "comma-separated globs of tests to run (default *)" },
    { "skip", BOOTARG_STR, opt.skip, NULL, "comma-separated globs of tests not to run" },
    { "seed", BOOTARG_STR, seed_str, NULL, "random seed: a number, or 'random' (default 0x5eed)" },
    { "timeout", BOOTARG_U32, &opt.timeout_ms, NULL, "per-test timeout in ms (default 10000)" },
    { "smp_timeout", BOOTARG_U32, &opt.smp_timeout_ms, NULL,
      "ms to wait for each CPU to come online (default 5000)" },
    { "list", BOOTARG_FLAG, &opt.list, NULL, "list the tests and exit" },
    { "help", BOOTARG_FLAG, &opt.help, NULL, "print these options and exit" },
};

extern const struct bootarg_opt __start_orderly_options[], __stop_orderly_options[];
static struct bootarg_opt options[64];
static size_t nr_options;

static void warn_sink(void *ctx, const char *msg) { (void)ctx; pr("# warning: %s\n", msg); }

/* The built-in options plus every OPTION() in the image. */
static void gather_options(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(builtin_options); i++)
        options[nr_options++] = builtin_options[i];
    for (const struct bootarg_opt *o = __start_orderly_options; o < __stop_orderly_options; o++) {
        if (nr_options == ARRAY_SIZE(options)) {
            pr("# warning: too many bootargs options; '%s' and later ignored\n", o->name);
            break;
        }
        options[nr_options++] = *o;
    }
}

void options_parse(const char *args)
{
    gather_options();
    bootargs_parse(args, options, nr_options, warn_sink, NULL);
    if (!strcmp(seed_str, "random")) {
        opt.seed = arch_counter() ^ 0x9e3779b97f4a7c15ULL;
    } else if (seed_str[0] && !parse_u64(seed_str, strlen(seed_str), &opt.seed)) {
        pr("# warning: bootargs: seed '%s' is not a number or 'random'; using 0x5eed\n", seed_str);
        opt.seed = 0x5eed;
    }
    if (opt.timeout_ms == 0)
        opt.timeout_ms = 10000;
}

const struct run_options *run_options(void) { return &opt; }
uint64_t test_seed(void) { return opt.seed; }

void options_print_help(void)
{
    pr("# bootargs options (in /chosen/bootargs, e.g. QEMU -append):\n");
    for (size_t i = 0; i < nr_options; i++)
        pr("#   %-16s %s\n", options[i].name, options[i].help);
}
