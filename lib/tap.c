/* TAP 14 emitter: formats each line into a bounded buffer and hands it to
 * the sink, so output is complete line by line. */
#include "tap.h"
#include <stdio.h>
#include <string.h>

#define TAP_LINE_MAX 512

void tap_init(struct tap *t, tap_sink_fn sink, void *ctx)
{
    memset(t, 0, sizeof(*t));
    t->sink = sink;
    t->ctx = ctx;
}

static void emit(struct tap *t, const char *line) { t->sink(t->ctx, line); }

void tap_version(struct tap *t) { emit(t, "TAP version 14"); }

void tap_plan(struct tap *t, unsigned n)
{
    char line[32];
    t->planned = n;
    snprintf(line, sizeof(line), "1..%u", n);
    emit(t, line);
}

/* Append s to out with '#' and '\' escaped and newlines made spaces, so a
 * name can never start a directive or a new line. */
static size_t append_escaped(char *out, size_t pos, size_t cap, const char *s)
{
    for (; s && *s && pos + 3 < cap; s++) {
        char c = *s == '\n' || *s == '\r' ? ' ' : *s;
        if (c == '#' || c == '\\')
            out[pos++] = '\\';
        out[pos++] = c;
    }
    out[pos] = 0;
    return pos;
}

static size_t append_plain(char *out, size_t pos, size_t cap, const char *s)
{
    for (; s && *s && pos + 2 < cap; s++)
        out[pos++] = *s == '\n' || *s == '\r' ? ' ' : *s;
    out[pos] = 0;
    return pos;
}

void tap_result(struct tap *t, bool ok, const char *name, enum tap_directive dir,
                const char *comment)
{
    char line[TAP_LINE_MAX];
    size_t pos;

    t->in_yaml = false;
    t->emitted++;
    if (dir == TAP_SKIP) {
        t->skipped++;
        ok = true;
    } else if (dir == TAP_TODO) {
        t->skipped++;
        ok = false;
    } else if (ok) {
        t->passed++;
    } else {
        t->failed++;
    }
    pos = (size_t)snprintf(line, sizeof(line), "%s %u - ", ok ? "ok" : "not ok", t->emitted);
    pos = append_escaped(line, pos, sizeof(line), name);
    if (dir != TAP_NONE || (comment && *comment)) {
        pos = append_plain(line, pos, sizeof(line), " # ");
        if (dir != TAP_NONE)
            pos = append_plain(line, pos, sizeof(line), dir == TAP_SKIP ? "SKIP " : "TODO ");
        pos = append_escaped(line, pos, sizeof(line), comment);
        while (pos > 0 && line[pos - 1] == ' ')
            line[--pos] = 0;
    }
    emit(t, line);
}

void tap_yaml_begin(struct tap *t)
{
    t->in_yaml = true;
    emit(t, "  ---");
}

void tap_yaml(struct tap *t, const char *fmt, ...)
{
    char line[TAP_LINE_MAX], body[TAP_LINE_MAX - 2];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(body, sizeof(body), fmt, ap);
    va_end(ap);
    for (char *p = body; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    snprintf(line, sizeof(line), "  %s", body);
    emit(t, line);
}

void tap_yaml_end(struct tap *t)
{
    t->in_yaml = false;
    emit(t, "  ...");
}

void tap_vdiag(struct tap *t, const char *fmt, va_list ap)
{
    char body[TAP_LINE_MAX - 2], line[TAP_LINE_MAX];

    vsnprintf(body, sizeof(body), fmt, ap);
    for (char *p = body, *nl; p; p = nl ? nl + 1 : NULL) {
        nl = strchr(p, '\n');
        if (nl)
            *nl = 0;
        if (!*p && !nl)
            break;
        snprintf(line, sizeof(line), "# %s", p);
        emit(t, line);
    }
}

void tap_diag(struct tap *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tap_vdiag(t, fmt, ap);
    va_end(ap);
}

void tap_summary(struct tap *t)
{
    char line[128];
    int n = snprintf(line, sizeof(line), "# summary: %u passed, %u failed, %u skipped",
                     t->passed, t->failed, t->skipped);
    if (t->emitted < t->planned)
        snprintf(line + n, sizeof(line) - (size_t)n, ", %u missing", t->planned - t->emitted);
    emit(t, line);
}

void tap_exit_line(struct tap *t, int status)
{
    char line[32];
    snprintf(line, sizeof(line), "# exit: status=%d", status);
    emit(t, line);
}

int tap_status(const struct tap *t)
{
    return t->failed == 0 && t->emitted >= t->planned ? 0 : 1;
}
