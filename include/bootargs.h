/* The image's command line (/chosen/bootargs), table driven.
 *
 * Syntax: words separated by spaces (tabs and newlines count as spaces);
 * each is `name` (a flag) or `name=value` (the value may contain '=').
 * Values are decimal or 0x-hex numbers, or strings without spaces. The
 * last occurrence of an option wins. Host-buildable, no stdio.
 */
#ifndef ORDERLY_BOOTARGS_H
#define ORDERLY_BOOTARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum bootarg_type {
    BOOTARG_FLAG,   /* bool *: set to true by `name` or `name=1`, false by `name=0` */
    BOOTARG_U32,    /* uint32_t * */
    BOOTARG_U32_POS,/* uint32_t *, at least 1: a 0 (a budget that runs nothing) is refused */
    BOOTARG_U64,    /* uint64_t * */
    BOOTARG_STR,    /* char[BOOTARG_STR_MAX]: copied, truncation is an error */
};

#define BOOTARG_STR_MAX 256

struct bootarg_opt {
    const char *name;
    enum bootarg_type type;
    void *ptr;
    bool *seen;        /* optional: set true when the option was given */
    const char *help;  /* one line, for the `help` listing */
} __attribute__((aligned(8)));   /* OPTION() entries form an array in their section */

/* Called once per problem with a complete message such as
 * "bootargs: unknown option 'foo=1' (ignored)" or
 * "bootargs: option 'timeout=12x' is not a decimal or 0x-hex number (ignored)"
 * (a word longer than 60 characters is quoted in part, ending in "..."). */
typedef void (*bootarg_warn_fn)(void *ctx, const char *msg);

/* Parse cmdline (may be NULL or empty) against opts. Unknown names,
 * malformed numbers, values given to flags, missing values and overlong
 * strings are each reported through warn and otherwise ignored (the
 * option keeps its default). Returns the number of problems reported. */
int bootargs_parse(const char *cmdline, const struct bootarg_opt *opts,
                   size_t nopts, bootarg_warn_fn warn, void *ctx);

/* Copy as much of *s into buf (size >= 5) as fits, each byte that is not
 * printable ASCII as \xNN (a word in the messages above is shown the same
 * way), and advance *s past what was copied: call until **s is 0 to print
 * a command line of any length in pieces. Returns buf, always terminated. */
const char *bootargs_escape(char *buf, size_t size, const char **s);

/* Shell-style glob: '*' any run (including '/'), '?' one char,
 * '[abc]'/'[a-z]'/'[!x]' sets (a ']' first in a set is a member; a '['
 * without a closing ']' is an ordinary character). No escaping.
 * Whole-string match; NULL matches nothing. */
bool glob_match(const char *pattern, const char *str);

/* Match str against a comma-separated list of globs. An empty list (or
 * an empty element) matches nothing; a set cannot hold a ','. */
bool glob_match_list(const char *list, const char *str);

/* Parse a whole decimal or 0x-hex unsigned number in s[0, len) (a leading
 * 0 is still decimal); false on junk/overflow, *out untouched then. */
bool parse_u64(const char *s, size_t len, uint64_t *out);

#endif
