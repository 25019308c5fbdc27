/* libFuzzer target: the bootargs parser and the glob matcher
 * (lib/bootargs.c). The input is a command line; every warning must be a
 * complete, bounded message of printable ASCII, and each option keeps a
 * well-formed value; the command line escaped in pieces is all of it. */
#include "bootargs.h"
#include <stdlib.h>
#include <string.h>

static void warn(void *ctx, const char *msg)
{
    size_t n = strlen(msg);
    (void)ctx;
    if (n == 0 || n > 512 || strncmp(msg, "bootargs: ", 10))
        abort();
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)msg[i] < 0x20 || (unsigned char)msg[i] >= 0x7f)
            abort();                    /* a raw byte would reach the UART */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool flag, seen;
    static uint32_t u32;
    static uint64_t u64;
    static char str[BOOTARG_STR_MAX], str2[BOOTARG_STR_MAX];
    const struct bootarg_opt opts[] = {
        { "list", BOOTARG_FLAG, &flag, &seen, "f" },
        { "timeout", BOOTARG_U32, &u32, NULL, "u" },
        { "seed", BOOTARG_U64, &u64, NULL, "u" },
        { "tests", BOOTARG_STR, str, NULL, "s" },
        { "litmus.ms", BOOTARG_U32, &u32, NULL, "u" },
        { "skip", BOOTARG_STR, str2, NULL, "s" },
    };
    char *cmd = malloc(size + 1);

    if (!cmd)
        return 0;
    memcpy(cmd, data, size);
    cmd[size] = 0;
    (void)bootargs_parse(cmd, opts, sizeof(opts) / sizeof(opts[0]), warn, NULL);
    if (memchr(str, 0, sizeof(str)) == NULL || memchr(str2, 0, sizeof(str2)) == NULL)
        abort();                        /* a string option left unterminated */
    /* the same bytes as a glob list and as a name */
    (void)glob_match_list(cmd, "litmus/SB+onceonces");
    (void)glob_match(cmd, cmd);
    (void)glob_match("*[a-z]?/*", cmd);
    uint64_t v;
    (void)parse_u64(cmd, size, &v);
    char piece[16];
    size_t out = 0;
    for (const char *p = cmd; *p;) {
        const char *before = p;
        out += strlen(bootargs_escape(piece, sizeof(piece), &p));
        if (p == before)
            abort();                    /* no progress: the caller would loop */
    }
    if (out < strlen(cmd))
        abort();
    free(cmd);
    return 0;
}
