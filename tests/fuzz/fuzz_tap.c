/* libFuzzer target: the TAP 14 emitter (lib/tap.c). The input is cut into
 * a name, a comment and a YAML value (each ends at its first NUL); whatever they hold, every line the
 * emitter hands its sink is one line, a result line starts "ok " or
 * "not ok ", and no name or comment can become a directive or a second
 * line. */
#include "tap.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void sink(void *ctx, const char *line)
{
    (void)ctx;
    if (strchr(line, '\n') || strchr(line, '\r'))
        abort();
}

static void results_sink(void *ctx, const char *line)
{
    unsigned *results = ctx;
    sink(ctx, line);
    if (!strncmp(line, "ok ", 3) || !strncmp(line, "not ok ", 7))
        (*results)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = calloc(1, size + 3);
    struct tap t;
    unsigned results = 0;

    if (!buf || size < 2) {
        free(buf);
        return 0;
    }
    /* the bytes after the first, in thirds: name, comment, yaml value */
    size_t third = (size - 1) / 3;
    char *name = buf, *comment = buf + third + 1, *yaml = buf + 2 * third + 2;
    memcpy(name, data + 1, third);
    memcpy(comment, data + 1 + third, third);
    memcpy(yaml, data + 1 + 2 * third, size - 1 - 2 * third);
    unsigned mode = data[0];

    tap_init(&t, results_sink, &results);
    tap_version(&t);
    tap_plan(&t, 3);
    tap_result(&t, mode & 1, name, (enum tap_directive)((mode >> 1) % 3), comment);
    tap_yaml(&t, "value: %s", yaml);
    tap_diag(&t, "%s", comment);
    tap_result(&t, true, comment, TAP_NONE, name);
    tap_yaml_end(&t);
    tap_skip_all(&t, name);
    tap_summary(&t);
    tap_exit_line(&t, tap_status(&t));
    if (results != 2)
        abort();                        /* a name or comment made or hid a result line */
    free(buf);
    return 0;
}
