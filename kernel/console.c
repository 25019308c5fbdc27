/* Console selection and serialised output. */
#include "arch.h"
#include "clock.h"
#include "console.h"
#include "fdt.h"
#include "percpu.h"
#include <asm/processor.h>
#include <atomic.h>
#include <stdio.h>
#include <string.h>

extern const struct console_driver *const __start_orderly_consoles[];
extern const struct console_driver *const __stop_orderly_consoles[];

static const struct console_driver *drv;
static uintptr_t base;
static uint32_t shift;
static char desc[64];
static bool from_dt;

/* Owner-tracking lock: reentrant on one CPU (an exception report while
 * printing), and stolen after ~0.2 s so a CPU lost while printing cannot
 * silence the others. */
static int lock_owner = -1;
static int lock_depth;

static const struct console_driver *driver_named(const char *name)
{
    for (const struct console_driver *const *d = __start_orderly_consoles;
         d < __stop_orderly_consoles; d++)
        if (!strcmp((*d)->name, name))
            return *d;
    return NULL;
}

void console_init_default(void)
{
    drv = driver_named(PLATFORM_CONSOLE);
    base = PLATFORM_CONSOLE_ADDR;
    shift = PLATFORM_CONSOLE_SHIFT;
    snprintf(desc, sizeof(desc), "%s@0x%lx (platform default)", PLATFORM_CONSOLE, (unsigned long)base);
}

static int stdout_node(const void *dtb)
{
    int chosen = dt_path(dtb, "/chosen");
    const char *path = chosen >= 0 ? dt_prop_str(dtb, chosen, "stdout-path") : NULL;
    char buf[128];

    if (!path)
        return DT_ERR_NOTFOUND;
    size_t n = strcspn(path, ":");          /* "serial0:115200n8" */
    if (n >= sizeof(buf))
        return DT_ERR_NOTFOUND;
    memcpy(buf, path, n);
    buf[n] = 0;
    return dt_path(dtb, buf);
}

const char *console_init_dt(const void *dtb)
{
    int node = dtb ? stdout_node(dtb) : DT_ERR_NOTFOUND;
    uint64_t addr, size;
    uint32_t rs = 0;

    if (node < 0) {
        if (dtb)
            pr_warn("console: the device tree names no console (/chosen/stdout-path); using %s\n",
                    desc);
        return desc;
    }
    for (const struct console_driver *const *d = __start_orderly_consoles;
         d < __stop_orderly_consoles; d++) {
        for (const char *const *c = (*d)->compatible; *c; c++) {
            if (!dt_is_compatible(dtb, node, *c))
                continue;
            if (dt_reg(dtb, node, 0, &addr, &size)) {
                pr_warn("console: %s has no usable reg; keeping %s\n", dt_name(dtb, node), desc);
                return desc;
            }
            dt_prop_u32(dtb, node, "reg-shift", &rs);
            drv = *d;
            base = arch_phys_to_virt(addr);
            shift = rs;
            snprintf(desc, sizeof(desc), "%s@0x%llx", drv->name, (unsigned long long)addr);
            from_dt = true;
            return desc;
        }
    }
    pr_warn("console: %s (stdout-path) matches no console driver; using %s\n", dt_name(dtb, node),
            desc);
    return desc;
}

bool console_is_default(void) { return !from_dt; }
const char *console_desc(void) { return desc; }

void console_lock(void)
{
    int me = smp_processor_id();
    uint64_t start = 0;

    if (READ_ONCE(lock_owner) == me) {
        lock_depth++;
        return;
    }
    while (cmpxchg_acquire(&lock_owner, -1, me) != -1) {
        cpu_relax();
        if (!start)
            start = arch_counter();
        else if (arch_counter() - start > ms_to_ticks(200)) {
            WRITE_ONCE(lock_owner, me);     /* the holder is gone: take over */
            virt_mb();
            break;
        }
    }
    lock_depth = 1;
}

void console_unlock(void)
{
    if (--lock_depth > 0)
        return;
    smp_store_release(&lock_owner, -1);
}

/* A UART that never has room (absent, clock-gated, flow-controlled
 * forever) must not hang the run: after this many polls for one byte it
 * is given up on. A real one at 115200 baud needs ~90 us per byte; a poll
 * takes 0.1-1 us under QEMU and less on silicon. */
#define TX_POLLS 200000
static bool dead;

bool console_is_dead(void) { return READ_ONCE(dead); }

static void put_byte(char c)
{
    for (unsigned i = 0; !drv->tx_ready(base, shift); i++)
        if (i == TX_POLLS) {
            WRITE_ONCE(dead, true);
            return;
        }
    drv->tx(base, shift, c);
}

static void put_raw(const char *s, size_t n)
{
    if (!drv)
        return;
    for (size_t i = 0; i < n && !dead; i++) {
        if (s[i] == '\n')
            put_byte('\r');
        put_byte(s[i]);
    }
}

void console_write(const char *s, size_t n)
{
    console_lock();
    put_raw(s, n);
    console_unlock();
}

int vpr(const char *fmt, va_list ap)
{
    char buf[512];
    int n;

    console_lock();
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    if (n > (int)sizeof(buf) - 1)
        n = sizeof(buf) - 1;
    if (n > 0)
        put_raw(buf, (size_t)n);
    console_unlock();
    return n;
}

int pr(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vpr(fmt, ap);
    va_end(ap);
    return n;
}

int pr_prefixed(const char *prefix, const char *fmt, ...)
{
    va_list ap;
    console_lock();
    put_raw(prefix, strlen(prefix));
    va_start(ap, fmt);
    int n = vpr(fmt, ap);
    va_end(ap);
    console_unlock();
    return n;
}
