/* The image's options, from /chosen/bootargs (lib/bootargs.c parses):
 * the built-in ones the runner and the boot flow read, and every OPTION()
 * a file declares for itself (litmus.*, riscv.*). */
#ifndef ORDERLY_OPTIONS_H
#define ORDERLY_OPTIONS_H

#include "bootargs.h"
#include "compiler.h"

/* A bootargs option owned by the file that uses it:
 *   OPTION(my_opt, "group.name", BOOTARG_U32, &var, "help text"); */
#define OPTION(id, name_, type_, ptr_, help_)                                 \
    static const struct bootarg_opt __opt_##id __used                         \
        __section("orderly_options") __aligned(8) = { name_, type_, ptr_, NULL, help_ }

struct run_options {
    char tests[BOOTARG_STR_MAX];    /* tests=: globs to run (default *) */
    char skip[BOOTARG_STR_MAX];     /* skip=: globs not to run */
    uint32_t timeout_ms;            /* timeout=: per-test default */
    uint32_t smp_timeout_ms;        /* smp_timeout=: per CPU coming online */
    bool list, help;
    uint64_t seed;                  /* seed=, resolved ('random' drawn) */
};

/* Parse bootargs into the built-ins and every OPTION(); problems are
 * "# warning:" lines. Once, on the boot CPU, before anything reads them. */
void options_parse(const char *bootargs);
const struct run_options *run_options(void);
/* "# bootargs options ..." and one line per option. */
void options_print_help(void);
/* The run's seed (bootargs seed=), for reproducible random choices. */
uint64_t test_seed(void);

#endif
