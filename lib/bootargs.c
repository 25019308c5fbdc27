/* The image's command line, table driven, and shell-style globs
 * (include/bootargs.h). No stdio: messages are assembled by hand into a
 * small buffer, so this builds before the console exists. */
#include "bootargs.h"
#include <string.h>

/* ---- numbers ---- */

enum num_status { NUM_OK, NUM_JUNK, NUM_OVERFLOW };

static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Junk anywhere wins over overflow, so "99999999999999999999x" is
 * reported as not-a-number rather than too large. */
static enum num_status parse_number(const char *s, size_t len, uint64_t *out)
{
    unsigned base = 10;
    size_t i = 0;
    uint64_t v = 0;
    bool overflow = false;

    if (!s)
        return NUM_JUNK;
    if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        i = 2;
    }
    if (i == len)
        return NUM_JUNK;
    for (; i < len; i++) {
        int d = digit_value(s[i]);
        if (d < 0 || (unsigned)d >= base)
            return NUM_JUNK;
        if (v > (UINT64_MAX - (unsigned)d) / base)
            overflow = true;
        v = v * base + (unsigned)d;
    }
    if (overflow)
        return NUM_OVERFLOW;
    *out = v;
    return NUM_OK;
}

bool parse_u64(const char *s, size_t len, uint64_t *out)
{
    return parse_number(s, len, out) == NUM_OK;
}

/* ---- messages ---- */

#define MSG_MAX     192
#define WORD_SHOWN  60      /* longer words are cut and end in "..." */

struct msg {
    char buf[MSG_MAX];
    size_t len;
};

/* Append n bytes, silently cut at the buffer's end (always terminated). */
static void msg_add(struct msg *m, const char *s, size_t n)
{
    size_t room = sizeof(m->buf) - 1 - m->len;

    if (n > room)
        n = room;
    memcpy(m->buf + m->len, s, n);
    m->len += n;
    m->buf[m->len] = 0;
}

static void msg_str(struct msg *m, const char *s)
{
    msg_add(m, s, strlen(s));
}

/* A byte that is not printable ASCII (an escape sequence, a bell, a byte
 * of no UTF-8) must reach the UART and the TAP stream as \xNN, never raw.
 * Writes 1 or 4 chars to out; returns how many. */
static size_t escape_byte(char c, char out[4])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char u = (unsigned char)c;

    if (u >= 0x20 && u < 0x7f) {
        out[0] = c;
        return 1;
    }
    out[0] = '\\';
    out[1] = 'x';
    out[2] = hex[u >> 4];
    out[3] = hex[u & 15];
    return 4;
}

static void msg_word(struct msg *m, const char *w, size_t n)
{
    size_t shown = n > WORD_SHOWN ? WORD_SHOWN : n;
    char esc[4];

    msg_str(m, "'");
    for (size_t i = 0; i < shown; i++)
        msg_add(m, esc, escape_byte(w[i], esc));
    if (n > WORD_SHOWN)
        msg_str(m, "...");
    msg_str(m, "'");
}

const char *bootargs_escape(char *buf, size_t size, const char **s)
{
    size_t len = 0, n;
    char esc[4];

    while (**s && (n = escape_byte(**s, esc)) < size - len) {
        memcpy(buf + len, esc, n);
        len += n;
        (*s)++;
    }
    buf[len] = 0;
    return buf;
}

/* "bootargs: <before>'<word>'<after> (ignored)" through warn, if any. */
static void report(bootarg_warn_fn warn, void *ctx, const char *before,
                   const char *word, size_t wlen, const char *after)
{
    struct msg m = { .len = 0 };

    if (!warn)
        return;
    m.buf[0] = 0;
    msg_str(&m, "bootargs: ");
    msg_str(&m, before);
    msg_word(&m, word, wlen);
    msg_str(&m, after);
    msg_str(&m, " (ignored)");
    warn(ctx, m.buf);
}

/* ---- options ---- */

static const struct bootarg_opt *find_opt(const struct bootarg_opt *opts, size_t nopts,
                                          const char *name, size_t len)
{
    for (size_t i = 0; i < nopts; i++)
        if (opts[i].name && strlen(opts[i].name) == len && !memcmp(opts[i].name, name, len))
            return &opts[i];
    return NULL;
}

static const char *set_flag(const struct bootarg_opt *o, const char *val, size_t vlen, bool has_val)
{
    if (!has_val)
        *(bool *)o->ptr = true;
    else if (vlen == 1 && (val[0] == '0' || val[0] == '1'))
        *(bool *)o->ptr = val[0] == '1';
    else
        return " takes no value but 0 or 1";
    return NULL;
}

static const char *set_number(const struct bootarg_opt *o, const char *val, size_t vlen)
{
    uint64_t v;

    if (vlen == 0)
        return " needs a value";
    switch (parse_number(val, vlen, &v)) {
    case NUM_JUNK:
        return " is not a decimal or 0x-hex number";
    case NUM_OVERFLOW:
        return " is out of range (64 bits)";
    case NUM_OK:
        break;
    }
    if (o->type == BOOTARG_U32 || o->type == BOOTARG_U32_POS) {
        if (v > UINT32_MAX)
            return " is out of range (32 bits)";
        if (v == 0 && o->type == BOOTARG_U32_POS)
            return " must be at least 1";
        *(uint32_t *)o->ptr = (uint32_t)v;
    } else {
        *(uint64_t *)o->ptr = v;
    }
    return NULL;
}

/* Truncating a string would silently change which tests run: refuse it. */
static const char *set_string(const struct bootarg_opt *o, const char *val, size_t vlen, bool has_val)
{
    if (!has_val)
        return " needs a value";
    if (vlen >= BOOTARG_STR_MAX)
        return " is too long (255 characters at most)";
    memcpy(o->ptr, val, vlen);
    ((char *)o->ptr)[vlen] = 0;
    return NULL;
}

/* Store the value into o; NULL, or why it was refused. */
static const char *apply(const struct bootarg_opt *o, const char *val, size_t vlen, bool has_val)
{
    switch (o->type) {
    case BOOTARG_FLAG:
        return set_flag(o, val, vlen, has_val);
    case BOOTARG_U32:
    case BOOTARG_U32_POS:
    case BOOTARG_U64:
        return set_number(o, val, has_val ? vlen : 0);
    case BOOTARG_STR:
        return set_string(o, val, vlen, has_val);
    }
    return " has an unknown type";
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* One word "name" or "name=value" (the value may contain '='). Returns
 * the number of problems: 0 or 1. */
static int parse_word(const char *w, size_t wlen, const struct bootarg_opt *opts,
                      size_t nopts, bootarg_warn_fn warn, void *ctx)
{
    const char *eq = memchr(w, '=', wlen);
    size_t nlen = eq ? (size_t)(eq - w) : wlen;
    const struct bootarg_opt *o = find_opt(opts, nopts, w, nlen);
    const char *why;

    if (!o) {
        report(warn, ctx, "unknown option ", w, wlen, "");
        return 1;
    }
    why = apply(o, eq ? eq + 1 : NULL, eq ? wlen - nlen - 1 : 0, eq != NULL);
    if (why) {
        report(warn, ctx, o->type == BOOTARG_FLAG ? "flag " : "option ", w, wlen, why);
        return 1;
    }
    if (o->seen)
        *o->seen = true;
    return 0;
}

int bootargs_parse(const char *cmdline, const struct bootarg_opt *opts,
                   size_t nopts, bootarg_warn_fn warn, void *ctx)
{
    const char *p = cmdline ? cmdline : "";
    int problems = 0;

    for (;;) {
        size_t wlen = 0;
        while (is_space(*p))
            p++;
        if (!*p)
            return problems;
        while (p[wlen] && !is_space(p[wlen]))
            wlen++;
        problems += parse_word(p, wlen, opts, nopts, warn, ctx);
        p += wlen;
    }
}

/* ---- globs ---- */

/* Length of the set "[...]" at p (up to n bytes), or 0 when it has no
 * closing ']' (the '[' is then an ordinary character, as in the shell).
 * A ']' right after "[" or "[!" is a member, not the end. */
static size_t set_len(const char *p, size_t n)
{
    size_t i = 1;

    if (i < n && p[i] == '!')
        i++;
    if (i < n && p[i] == ']')
        i++;
    while (i < n && p[i] != ']')
        i++;
    return i < n ? i + 1 : 0;
}

/* Whether the set p[0, len) (brackets included) admits c. */
static bool set_has(const char *p, size_t len, char c)
{
    const char *body = p + 1;
    size_t n = len - 2, k = 0;
    bool neg = n > 0 && body[0] == '!', hit = false;
    unsigned char uc = (unsigned char)c;

    if (neg)
        k = 1;
    while (k < n) {
        if (k + 2 < n && body[k + 1] == '-') {
            hit |= uc >= (unsigned char)body[k] && uc <= (unsigned char)body[k + 2];
            k += 3;
        } else {
            hit |= uc == (unsigned char)body[k];
            k++;
        }
    }
    return hit != neg;
}

/* Match pat[0, plen) against the whole of str. Greedy with one backtrack
 * point (the last '*'), which is exact for '*', '?' and sets: no
 * recursion, O(plen * strlen) at worst. */
static bool glob_n(const char *pat, size_t plen, const char *str)
{
    size_t p = 0, s = 0, star_p = 0, star_s = 0;
    bool star = false;

    while (str[s]) {
        if (p < plen) {
            size_t adv = pat[p] == '[' ? set_len(pat + p, plen - p) : 0;
            bool m;
            if (pat[p] == '*') {
                star = true;
                star_p = ++p;
                star_s = s;
                continue;
            }
            if (adv > 0) {
                m = set_has(pat + p, adv, str[s]);
            } else {
                adv = 1;
                m = pat[p] == '?' || pat[p] == str[s];
            }
            if (m) {
                p += adv;
                s++;
                continue;
            }
        }
        if (!star)
            return false;
        p = star_p;
        s = ++star_s;
    }
    while (p < plen && pat[p] == '*')
        p++;
    return p == plen;
}

bool glob_match(const char *pattern, const char *str)
{
    return pattern && str && glob_n(pattern, strlen(pattern), str);
}

/* Empty elements ("a,,b", a trailing comma) match nothing. */
bool glob_match_list(const char *list, const char *str)
{
    if (!list || !str)
        return false;
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        if (n > 0 && glob_n(p, n, str))
            return true;
        p += n;
        if (*p == ',')
            p++;
    }
    return false;
}
