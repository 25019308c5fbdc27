/* "Interrupt disabling functions act as compiler barriers only"
 * (memory-barriers.txt): the compiler keeps every memory access on its side
 * of local_irq_save/restore/disable/enable, whatever it can prove about the
 * code in between; the CPU gets no barrier instruction from them, so
 * another CPU or a device may still see those accesses in another order
 * (that half is not observable on QEMU TCG, whose host orders stores; a
 * weakly ordered board can show it, and this test does not claim it).
 *
 * Each probe is a function the compiler optimises on its own (noipa) with
 * plain, non-volatile accesses to one static variable. The timer interrupt
 * handler, on the same CPU, reads and changes that variable at the one
 * point where interrupts come back on, or while the probe waits before it
 * turns them off:
 *   exit probes   interrupts off and a timer interrupt pending; the probe
 *                 stores INSIDE, turns interrupts on (restore / enable), so
 *                 the handler runs right there and writes HANDLER, then the
 *                 probe loads the variable and stores DONE. The handler must
 *                 have seen INSIDE (the store was neither sunk past the
 *                 restore nor dropped as dead), the load must give HANDLER
 *                 (not forwarded from the store).
 *   entry probes  interrupts on; the probe loads the variable, waits for
 *                 the handler (a volatile flag), turns interrupts off
 *                 (save / disable) and loads it again: HANDLER, not the
 *                 first load's value kept in a register.
 * The negative control (hidden, tests/controls.cfg) runs the same probes
 * built on __local_irq_*_noclobber(): the same instructions without the
 * "memory" clobber, which GCC -O2 forwards, merges and drops accesses
 * across, and must fail. */
#include "arch.h"
#include "clock.h"
#include "irq.h"
#include "irqtest.h"
#include "test.h"
#include <asm/processor.h>
#include <irqflags.h>
#include <stdio.h>

#define BEFORE  0x1111UL
#define INSIDE  0x2222UL
#define HANDLER 0x3333UL
#define DONE    0x4444UL

static unsigned long var;       /* plain: the probes' accesses are the compiler's to move */
static volatile unsigned long handler_saw;
static volatile int handler_ran;

static void handler(void)
{
    handler_saw = READ_ONCE(var);
    WRITE_ONCE(var, HANDLER);
    handler_ran = 1;
}

#define PROBE __attribute__((noipa, noinline))

#define EXIT_PROBE(name, EXIT)                                              \
    static PROBE unsigned long name(unsigned long flags)                    \
    {                                                                       \
        unsigned long seen;                                                 \
        var = INSIDE;                                                       \
        EXIT;                                                               \
        seen = var;                                                         \
        var = DONE;                                                         \
        return seen;                                                        \
    }

/* Called with interrupts off and a timer interrupt pending: the first load,
 * then interrupts on through the no-clobber enable (so that no compiler
 * barrier but the function under test stands between the two loads), the
 * handler runs there, then ENTRY and the second load. */
#define ENTRY_PROBE(name, ENTRY, EXIT)                                      \
    static PROBE unsigned long name(unsigned long *first)                   \
    {                                                                       \
        unsigned long before = var, inside, f __maybe_unused = 0;           \
        __local_irq_enable_noclobber();                                     \
        ENTRY;                                                              \
        inside = var;                                                       \
        EXIT;                                                               \
        *first = before;                                                    \
        return inside;                                                      \
    }

EXIT_PROBE(exit_restore, local_irq_restore(flags))
EXIT_PROBE(exit_enable, local_irq_enable())
ENTRY_PROBE(entry_save, f = local_irq_save(), local_irq_restore(f))
ENTRY_PROBE(entry_disable, local_irq_disable(), local_irq_enable())
EXIT_PROBE(exit_restore_broken, __local_irq_restore_noclobber(flags))
EXIT_PROBE(exit_enable_broken, __local_irq_enable_noclobber())
ENTRY_PROBE(entry_save_broken, f = __local_irq_save_noclobber(), __local_irq_restore_noclobber(f))
ENTRY_PROBE(entry_disable_broken, __local_irq_disable_noclobber(), __local_irq_enable_noclobber())

struct probe {
    const char *name, *key;
    bool exit;                      /* an exit probe (else entry) */
    bool save;                      /* the caller turns interrupts off with save (else disable) */
    unsigned long (*exit_fn)(unsigned long);
    unsigned long (*entry_fn)(unsigned long *first);
};

static const struct probe probes[2][4] = {
    {
        { "local_irq_restore", "local_irq_restore", true, true, exit_restore, NULL },
        { "local_irq_enable", "local_irq_enable", true, false, exit_enable, NULL },
        { "local_irq_save", "local_irq_save", false, true, NULL, entry_save },
        { "local_irq_disable", "local_irq_disable", false, false, NULL, entry_disable },
    },
    {
        { "local_irq_restore (no clobber)", "local_irq_restore_noclobber",
          true, true, exit_restore_broken, NULL },
        { "local_irq_enable (no clobber)", "local_irq_enable_noclobber",
          true, false, exit_enable_broken, NULL },
        { "local_irq_save (no clobber)", "local_irq_save_noclobber",
          false, true, NULL, entry_save_broken },
        { "local_irq_disable (no clobber)", "local_irq_disable_noclobber",
          false, false, NULL, entry_disable_broken },
    },
};

enum verdict { KEPT, MOVED, BLIND };

static bool wait_until(bool (*done)(void), unsigned ms)
{
    uint64_t end = arch_counter() + ms_to_ticks(ms);

    while (!done()) {
        if (arch_counter() > end)
            return false;
        cpu_relax();
    }
    return true;
}

static bool timer_pending(void)
{
    unsigned visible;
    return arch_irq_pending(&visible) & IRQ_SRC_TIMER;
}

static bool ran(void) { return handler_ran; }

/* One run of a probe; why says what moved. */
static enum verdict run_probe(const struct probe *p, char *why, size_t len)
{
    unsigned long seen, first = 0, f = 0;

    WRITE_ONCE(var, BEFORE);
    handler_ran = 0;
    handler_saw = 0;
    irq_set_timer_hook(handler);
    if (p->save)
        f = local_irq_save();
    else
        local_irq_disable();
    timer_set_user(ms_to_ticks(1) / 10 + 1);
    if (!wait_until(timer_pending, 100)) {
        local_irq_enable();
        return BLIND;
    }
    seen = p->exit ? p->exit_fn(f) : p->entry_fn(&first);
    wait_until(ran, 100);
    if (p->exit) {
        if (handler_saw == DONE || !handler_ran)
            return BLIND;               /* the handler did not run at the exit */
        if (handler_saw != INSIDE) {
            snprintf(why, len, "the handler it let in saw 0x%lx, not the store made before it "
                     "(0x%lx)", handler_saw, INSIDE);
            return MOVED;
        }
        if (seen != HANDLER) {
            snprintf(why, len, "the load after it gave 0x%lx, not the handler's 0x%lx", seen,
                     HANDLER);
            return MOVED;
        }
        return KEPT;
    }
    if (first != BEFORE || handler_saw != BEFORE)
        return BLIND;                   /* the first load came after the handler */
    if (seen != HANDLER) {
        snprintf(why, len, "the load after it gave 0x%lx, the value loaded before it, not the "
                 "handler's 0x%lx", seen, HANDLER);
        return MOVED;
    }
    return KEPT;
}

static void compiler_barrier_test(int broken)
{
    enum verdict v[4];
    char why[4][120];
    unsigned kept = 0;

    if (!have_irq_controller())
        return;
    if (broken)
        test_diag("negative control: the probes built on local_irq_*() without the memory clobber");
    for (int i = 0; i < 4; i++) {
        v[i] = BLIND;
        why[i][0] = 0;
        for (int t = 0; t < 5 && v[i] == BLIND; t++) {
            v[i] = run_probe(&probes[broken][i], why[i], sizeof(why[i]));
            timer_set_user(0);
            irq_set_timer_hook(NULL);
        }
        kept += v[i] == KEPT;
    }
    for (int i = 0; i < 4; i++) {
        const char *name = probes[broken][i].name;
        check(v[i] != MOVED, "%s is not a compiler barrier: %s", name, why[i]);
        check(v[i] != BLIND, "blind: the handler never ran at %s in 5 tries", name);
    }
    for (int i = 0; i < 4; i++)
        test_yaml("%s: %s", probes[broken][i].key,
                  v[i] == KEPT ? "kept" : v[i] == MOVED ? "moved" : "blind");
    test_yaml("cpu_barrier: none (a compiler barrier only: the CPU may reorder these accesses as "
              "another CPU sees them)");
    test_note("%u of 4 keep the accesses on their side (compiler barriers; no CPU barrier implied)",
              kept);
}

TEST(irq_compiler_barrier, .name = "irq/compiler-barrier") { compiler_barrier_test(0); }

TEST(irq_compiler_barrier_control, .name = "irq/compiler-barrier-control", .flags = TEST_HIDDEN)
{
    compiler_barrier_test(1);
}
