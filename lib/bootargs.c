/* Table-driven parsing of the image's command line, and glob matching. */
#include "bootargs.h"
#include <stdio.h>
#include <string.h>

bool parse_u64(const char *s, size_t len, uint64_t *out)
{
    uint64_t v = 0;
    unsigned base = 10;
    size_t i = 0;

    if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        i = 2;
    }
    if (i == len)
        return false;
    for (; i < len; i++) {
        char c = s[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (base == 16 && c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return false;
        if (v > (UINT64_MAX - d) / base)
            return false;
        v = v * base + d;
    }
    *out = v;
    return true;
}

static void warnf(bootarg_warn_fn warn, void *ctx, const char *fmt, const char *word,
                  size_t wlen, const char *extra)
{
    char w[96], msg[200];
    size_t n = wlen < sizeof(w) - 1 ? wlen : sizeof(w) - 1;

    memcpy(w, word, n);
    w[n] = 0;
    snprintf(msg, sizeof(msg), fmt, w, extra ? extra : "");
    if (warn)
        warn(ctx, msg);
}

static const struct bootarg_opt *find_opt(const struct bootarg_opt *opts, size_t nopts,
                                          const char *name, size_t len)
{
    for (size_t i = 0; i < nopts; i++)
        if (strlen(opts[i].name) == len && !strncmp(opts[i].name, name, len))
            return &opts[i];
    return NULL;
}

/* Apply one option; returns NULL or the reason it was rejected. */
static const char *apply(const struct bootarg_opt *o, const char *val, size_t vlen, bool has_val)
{
    uint64_t v;

    switch (o->type) {
    case BOOTARG_FLAG:
        if (!has_val) {
            *(bool *)o->ptr = true;
        } else if (vlen == 1 && (val[0] == '0' || val[0] == '1')) {
            *(bool *)o->ptr = val[0] == '1';
        } else {
            return "is a flag: give it alone, or =0/=1";
        }
        return NULL;
    case BOOTARG_U32:
    case BOOTARG_U64:
        if (!has_val || vlen == 0)
            return "needs a value";
        if (!parse_u64(val, vlen, &v))
            return "needs a decimal or 0x-hex number";
        if (o->type == BOOTARG_U32) {
            if (v > UINT32_MAX)
                return "is out of range (32 bits)";
            *(uint32_t *)o->ptr = (uint32_t)v;
        } else {
            *(uint64_t *)o->ptr = v;
        }
        return NULL;
    case BOOTARG_STR:
        if (!has_val)
            return "needs a value";
        if (vlen >= BOOTARG_STR_MAX)
            return "is too long";
        memcpy(o->ptr, val, vlen);
        ((char *)o->ptr)[vlen] = 0;
        return NULL;
    }
    return "has an unknown type";
}

int bootargs_parse(const char *cmdline, const struct bootarg_opt *opts, size_t nopts,
                   bootarg_warn_fn warn, void *ctx)
{
    int problems = 0;
    const char *p = cmdline ? cmdline : "";

    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        if (!*p)
            break;
        size_t wlen = strcspn(p, " \t\n");
        const char *eq = memchr(p, '=', wlen);
        size_t nlen = eq ? (size_t)(eq - p) : wlen;
        const struct bootarg_opt *o = find_opt(opts, nopts, p, nlen);

        if (!o) {
            warnf(warn, ctx, "bootargs: unknown option '%s' (ignored)%s", p, wlen, NULL);
            problems++;
        } else {
            const char *val = eq ? eq + 1 : NULL;
            size_t vlen = eq ? wlen - nlen - 1 : 0;
            const char *why = apply(o, val, vlen, eq != NULL);
            if (why) {
                warnf(warn, ctx, "bootargs: '%s' %s (ignored)", p, wlen, why);
                problems++;
            } else if (o->seen) {
                *o->seen = true;
            }
        }
        p += wlen;
    }
    return problems;
}

/* Match one set "[...]" at *pp against c; advances *pp past it. */
static bool match_set(const char **pp, char c, bool *ok)
{
    const char *p = *pp + 1;
    bool neg = *p == '!', hit = false;

    if (neg)
        p++;
    for (bool first = true; *p && (first || *p != ']'); first = false, p++) {
        if (p[1] == '-' && p[2] && p[2] != ']') {
            hit |= c >= p[0] && c <= p[2];
            p += 2;
        } else {
            hit |= c == *p;
        }
    }
    if (*p != ']') {
        *ok = false;            /* unterminated set: no match */
        return false;
    }
    *pp = p + 1;
    return hit != neg;
}

bool glob_match(const char *pat, const char *str)
{
    const char *star_p = NULL, *star_s = NULL;
    bool ok = true;

    while (*str) {
        if (*pat == '*') {
            star_p = ++pat;
            star_s = str;
            continue;
        }
        const char *next = pat;
        bool m;
        if (*pat == '?') {
            m = true;
            next = pat + 1;
        } else if (*pat == '[') {
            m = match_set(&next, *str, &ok);
            if (!ok)
                return false;
        } else {
            m = *pat && *pat == *str;
            next = pat + 1;
        }
        if (m) {
            pat = next;
            str++;
        } else if (star_p) {
            pat = star_p;
            str = ++star_s;
        } else {
            return false;
        }
    }
    while (*pat == '*')
        pat++;
    return *pat == 0;
}

bool glob_match_list(const char *list, const char *str)
{
    char pat[BOOTARG_STR_MAX];

    for (const char *p = list; p && *p;) {
        size_t n = strcspn(p, ",");
        if (n > 0 && n < sizeof(pat)) {
            memcpy(pat, p, n);
            pat[n] = 0;
            if (glob_match(pat, str))
                return true;
        }
        p += n + (p[n] == ',');
    }
    return false;
}
