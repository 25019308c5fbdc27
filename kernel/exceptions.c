/* Every exception the arch does not handle itself ends up here
 * (include/exception.h). */
#include "arch.h"
#include "console.h"
#include "cpu.h"
#include "exception.h"
#include "exit.h"
#include "percpu.h"
#include <irqflags.h>
#include <stdarg.h>
#include <string.h>
#include <stdio.h>

static void (*test_hook)(const struct exc_info *e, int cpu);

void exception_set_test_hook(void (*hook)(const struct exc_info *e, int cpu))
{
    test_hook = hook;
}

static void fill_record(struct exc_record *r, const struct exc_info *e, int cpu)
{
    r->taken = true;
    r->cpu = cpu;
    strncpy(r->kind, e->kind ? e->kind : "?", sizeof(r->kind) - 1);
    r->vec = e->vec;
    r->cause = e->cause;
    r->pc = e->pc;
    r->addr = e->addr;
    r->status = e->status;
}

static struct exc_reg *add_reg(struct exc_regs *r, const char *name, uint64_t value, int digits)
{
    struct exc_reg *g;

    if (r->n == EXC_MAX_REGS)
        return NULL;
    g = &r->reg[r->n++];
    g->name = name;
    g->value = value;
    g->digits = digits;
    g->text[0] = 0;
    return g;
}

void exc_reg_hex(struct exc_regs *r, const char *name, uint64_t value, int digits)
{
    add_reg(r, name, value, digits);
}

void exc_reg(struct exc_regs *r, const char *name, uint64_t value, int digits, const char *fmt, ...)
{
    struct exc_reg *g = add_reg(r, name, value, digits);
    va_list ap;

    if (!g)
        return;
    va_start(ap, fmt);
    vsnprintf(g->text, sizeof(g->text), fmt, ap);
    va_end(ap);
}

void exc_describe(const struct exc_info *e, void (*emit)(const char *k, const char *v))
{
    struct exc_regs r = { 0 };
    char v[96];

    arch_exc_regs(e, &r);
    for (int i = 0; i < r.n; i++) {
        const struct exc_reg *g = &r.reg[i];
        if (!g->digits)
            snprintf(v, sizeof(v), "%s", g->text);
        else if (g->text[0])
            snprintf(v, sizeof(v), "0x%0*llx (%s)", g->digits, (unsigned long long)g->value, g->text);
        else
            snprintf(v, sizeof(v), "0x%0*llx", g->digits, (unsigned long long)g->value);
        emit(g->name, v);
    }
}

static void emit_plain(const char *k, const char *v) { pr("#   %s: %s\n", k, v); }

void exception_entry(struct exc_info *e)
{
    struct percpu *pc = this_cpu();

    if (pc->probe) {                        /* expected: try_call() */
        jmp_buf *jb = pc->probe;
        pc->probe = NULL;
        fill_record(pc->probe_out, e, pc->cpu);
        longjmp(*jb, 1);
    }
    if (++pc->exc_depth > 1) {
        /* Faulted while reporting a fault: print the bare minimum and stop. */
        pr("Bail out! cpu %d: nested exception (%s) while handling an exception\n", pc->cpu,
           e->kind ? e->kind : "?");
        machine_exit(1);
    }
    if (pc->recover) {                      /* inside a test: fail it, unwind */
        if (test_hook)
            test_hook(e, pc->cpu);
        pc->exc_depth = 0;
        longjmp(*pc->recover, 1);
    }
    console_lock();
    pr("# cpu %d: unexpected exception outside any test: %s\n", pc->cpu, e->kind);
    exc_describe(e, emit_plain);
    console_unlock();
    if (pc->cpu != 0) {
        cpu_mark_lost(pc->cpu, "exception outside a test");
        cpu_park();
    }
    pr("Bail out! exception on the boot CPU outside any test\n");
    orderly_exit(1);
}

bool try_call(void (*fn)(void *), void *arg, struct exc_record *out)
{
    struct percpu *pc = this_cpu();
    jmp_buf jb;
    jmp_buf *volatile prev = pc->probe;
    volatile unsigned long flags = local_irq_save();

    memset(out, 0, sizeof(*out));
    pc->probe_out = out;
    if (setjmp(jb) == 0) {
        pc->probe = &jb;
        fn(arg);
        pc->probe = prev;
        local_irq_restore(flags);
        return false;
    }
    pc->probe = prev;
    local_irq_restore(flags);
    return true;
}
