/* TAP version 14 emitter (include/tap.h, DESIGN.md section 4).
 *
 * Each call builds its line(s) in one bounded stack buffer and hands them
 * to the sink whole. Numbers are formatted here; vsnprintf is used only
 * for the caller's own formats (tap_yaml, tap_diag). Every byte that could
 * end a line is replaced, so no text a test supplies can forge a result,
 * a plan or a directive. */
#include "tap.h"
#include <stdio.h>
#include <string.h>

#define TAP_LINE_MAX    512
/* Room kept after a test's name so that " # SKIP" / " # TODO" always
 * fits: a truncated SKIP line must never read as a plain pass. */
#define DIRECTIVE_ROOM  16

struct line {
    char buf[TAP_LINE_MAX];
    size_t len;
};

static void line_init(struct line *l)
{
    l->len = 0;
    l->buf[0] = 0;
}

/* Control characters (CR and LF above all) become spaces. */
static char visible(char c)
{
    return (unsigned char)c < 0x20 || c == 0x7f ? ' ' : c;
}

/* Append s, cut so that the line stays below limit characters. */
static void line_add(struct line *l, const char *s, size_t limit)
{
    if (limit > sizeof(l->buf) - 1)
        limit = sizeof(l->buf) - 1;
    for (; s && *s && l->len < limit; s++)
        l->buf[l->len++] = visible(*s);
    l->buf[l->len] = 0;
}

/* Append s with TAP 14's escapes for a description ('#' -> "\#",
 * '\' -> "\\"); an escape pair is never split by the cut. */
static void line_add_escaped(struct line *l, const char *s, size_t limit)
{
    if (limit > sizeof(l->buf) - 1)
        limit = sizeof(l->buf) - 1;
    for (; s && *s; s++) {
        bool esc = *s == '#' || *s == '\\';
        if (l->len + 1 + esc > limit)
            break;
        if (esc)
            l->buf[l->len++] = '\\';
        l->buf[l->len++] = visible(*s);
    }
    l->buf[l->len] = 0;
}

static void line_add_uint(struct line *l, unsigned v)
{
    char digits[12];
    size_t n = sizeof(digits) - 1;

    digits[n] = 0;
    do {
        digits[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    line_add(l, digits + n, sizeof(l->buf));
}

static void line_add_int(struct line *l, int v)
{
    if (v < 0) {
        line_add(l, "-", sizeof(l->buf));
        line_add_uint(l, 0u - (unsigned)v);
    } else {
        line_add_uint(l, (unsigned)v);
    }
}

static void emit(struct tap *t, const char *s)
{
    if (t->sink)
        t->sink(t->ctx, s);
}

/* Any line that is not YAML first closes an open YAML block, so a
 * forgotten tap_yaml_end() cannot swallow the next result. */
static void emit_line(struct tap *t, const char *s)
{
    if (t->in_yaml) {
        t->in_yaml = false;
        emit(t, "  ...");
    }
    emit(t, s);
}

void tap_init(struct tap *t, tap_sink_fn sink, void *ctx)
{
    memset(t, 0, sizeof(*t));
    t->sink = sink;
    t->ctx = ctx;
}

void tap_version(struct tap *t)
{
    emit_line(t, "TAP version 14");
}

void tap_plan(struct tap *t, unsigned n)
{
    struct line l;

    t->planned = n;
    line_init(&l);
    line_add(&l, "1..", sizeof(l.buf));
    line_add_uint(&l, n);
    emit_line(t, l.buf);
}

void tap_skip_all(struct tap *t, const char *reason)
{
    struct line l;

    t->planned = 0;
    line_init(&l);
    line_add(&l, "1..0 # SKIP ", sizeof(l.buf));
    line_add(&l, reason, sizeof(l.buf));
    emit_line(t, l.buf);
}

static bool starts_with_nocase(const char *s, const char *word)
{
    for (; *word; s++, word++)
        if ((*s | 0x20) != *word)
            return false;
    return true;
}

/* A plain comment that begins with "skip"/"todo" (any case, like
 * "skipped 3") would be read as a directive by TAP parsers. */
static bool looks_like_directive(const char *comment)
{
    while (*comment == ' ')
        comment++;
    return starts_with_nocase(comment, "skip") || starts_with_nocase(comment, "todo");
}

static void count_result(struct tap *t, bool ok, enum tap_directive dir)
{
    t->emitted++;
    if (dir != TAP_NONE)
        t->skipped++;
    else if (ok)
        t->passed++;
    else
        t->failed++;
}

void tap_result(struct tap *t, bool ok, const char *name,
                enum tap_directive dir, const char *comment)
{
    struct line l;
    bool has_comment = comment && *comment;

    if (dir == TAP_SKIP)
        ok = true;
    else if (dir == TAP_TODO)
        ok = false;
    count_result(t, ok, dir);
    line_init(&l);
    line_add(&l, ok ? "ok " : "not ok ", sizeof(l.buf));
    line_add_uint(&l, t->emitted);
    if (name && *name) {
        line_add(&l, " - ", sizeof(l.buf));
        line_add_escaped(&l, name, sizeof(l.buf) - 1 - DIRECTIVE_ROOM);
    }
    if (dir != TAP_NONE) {
        line_add(&l, dir == TAP_SKIP ? " # SKIP" : " # TODO", sizeof(l.buf));
        if (has_comment)
            line_add(&l, " ", sizeof(l.buf));
    } else if (has_comment) {
        line_add(&l, looks_like_directive(comment) ? " # note: " : " # ", sizeof(l.buf));
    }
    if (has_comment)
        line_add(&l, comment, sizeof(l.buf));
    emit_line(t, l.buf);
}

void tap_yaml_begin(struct tap *t)
{
    if (t->in_yaml)
        return;
    emit(t, "  ---");
    t->in_yaml = true;
}

void tap_yaml_end(struct tap *t)
{
    if (!t->in_yaml)
        return;
    emit(t, "  ...");
    t->in_yaml = false;
}

/* Format into l after a two-character prefix, then emit each '\n'
 * separated piece as prefix + piece (an empty piece as `empty`, or not at
 * all when that is NULL). The prefix of a later piece is written over the
 * two bytes before it (the previous piece's newline and last character,
 * both already emitted), so one buffer is enough. A final newline does
 * not make an extra empty line. */
static void emit_pieces(struct tap *t, struct line *l, const char *prefix,
                        const char *empty, const char *fmt, va_list ap)
{
    char *start = l->buf + 2;

    vsnprintf(start, sizeof(l->buf) - 2, fmt, ap);
    for (bool first = true;; first = false) {
        char *nl = strchr(start, '\n');
        if (!nl && !*start && !first)
            return;                 /* the text ended with a newline */
        if (nl)
            *nl = 0;
        for (char *c = start; *c; c++)
            *c = visible(*c);
        if (*start) {
            start[-2] = prefix[0];
            start[-1] = prefix[1];
            emit(t, start - 2);
        } else if (empty) {
            emit(t, empty);
        }
        if (!nl)
            return;
        start = nl + 1;
    }
}

void tap_yaml(struct tap *t, const char *fmt, ...)
{
    struct line l;
    va_list ap;

    tap_yaml_begin(t);              /* YAML outside a block would be junk */
    va_start(ap, fmt);
    emit_pieces(t, &l, "  ", NULL, fmt, ap);
    va_end(ap);
}

void tap_vdiag(struct tap *t, const char *fmt, va_list ap)
{
    struct line l;

    tap_yaml_end(t);
    emit_pieces(t, &l, "# ", "#", fmt, ap);
}

void tap_diag(struct tap *t, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    tap_vdiag(t, fmt, ap);
    va_end(ap);
}

static void add_count(struct line *l, unsigned n, const char *what)
{
    line_add_uint(l, n);
    line_add(l, what, sizeof(l->buf));
}

void tap_summary(struct tap *t)
{
    struct line l;

    line_init(&l);
    line_add(&l, "# summary: ", sizeof(l.buf));
    add_count(&l, t->passed, " passed, ");
    add_count(&l, t->failed, " failed, ");
    add_count(&l, t->skipped, " skipped");
    if (t->emitted < t->planned) {
        line_add(&l, ", ", sizeof(l.buf));
        add_count(&l, t->planned - t->emitted, " missing");
    } else if (t->emitted > t->planned) {
        line_add(&l, ", ", sizeof(l.buf));
        add_count(&l, t->emitted - t->planned, " unplanned");
    }
    emit_line(t, l.buf);
}

void tap_exit_line(struct tap *t, int status)
{
    struct line l;

    line_init(&l);
    line_add(&l, "# exit: status=", sizeof(l.buf));
    line_add_int(&l, status);
    emit_line(t, l.buf);
}

int tap_status(const struct tap *t)
{
    return t->failed == 0 && t->emitted == t->planned ? 0 : 1;
}
