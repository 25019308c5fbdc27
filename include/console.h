/* The UART console: one driver chosen from /chosen/stdout-path (the
 * platform's default before the DTB is read), and serialised printing
 * (newlib has no locking, DESIGN.md section 7). */
#ifndef ORDERLY_CONSOLE_H
#define ORDERLY_CONSOLE_H

#include "compiler.h"
#include <stdarg.h>

struct console_driver {
    const char *name;
    const char *const *compatible;     /* NULL-terminated DT compatibles */
    /* Room for a byte now? The console waits for it, bounded. */
    bool (*tx_ready)(uintptr_t base, uint32_t reg_shift);
    void (*tx)(uintptr_t base, uint32_t reg_shift, char c);
};

#define CONSOLE_DRIVER(var) \
    static const struct console_driver *const __console_##var __used \
        __section("orderly_consoles") = &var

void console_init_default(void);
/* Switch to the device /chosen/stdout-path names, if a driver matches.
 * Returns a description of the console in use. */
const char *console_init_dt(const void *dtb);
/* The UART never had room for a byte within the bound: it is given up on,
 * the run goes on silently and ends with a failing status. */
bool console_is_dead(void);
/* Still the platform's default console (no DT, or none usable in it). */
bool console_is_default(void);
const char *console_desc(void);

/* Raw bytes, "\n" becomes "\r\n". Serialised across CPUs. */
void console_write(const char *s, size_t n);

/* Formatted output, one call = one uninterrupted piece of text. */
int pr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vpr(const char *fmt, va_list ap);
#define pr_info(...)  pr(__VA_ARGS__)
#define pr_warn(...)  pr_prefixed("# warning: ", __VA_ARGS__)
#define pr_err(...)   pr_prefixed("# error: ", __VA_ARGS__)
int pr_prefixed(const char *prefix, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Hold the console for several pr() calls (reentrant on one CPU). */
void console_lock(void);
void console_unlock(void);

#endif
