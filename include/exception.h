/* Generic exception handling: every unexpected exception is reported with
 * its registers and, inside a test, fails that test and unwinds to the
 * test runner (DESIGN.md section 5: never a hang). */
#ifndef ORDERLY_EXCEPTION_H
#define ORDERLY_EXCEPTION_H

#include "compiler.h"

/* Filled by the arch's vector code. Field meaning per arch:
 *   arm64: cause=ESR_EL1 pc=ELR_EL1 addr=FAR_EL1 status=SPSR_EL1
 *   riscv: cause=scause pc=sepc addr=stval status=sstatus
 *   ppc:   cause=ESR pc=SRR0 addr=DEAR status=SRR1, vector number in vec */
struct exc_info {
    const char *kind;        /* "synchronous", "data abort", ... */
    unsigned vec;            /* arch vector number or class */
    uint64_t cause, pc, addr, status, sp;
    uint64_t *gpr;           /* saved general registers (arch layout) */
    unsigned ngpr;
};

/* What a caught exception left behind, for checks and reports. */
struct exc_record {
    bool taken;
    int cpu;
    char kind[32];
    unsigned vec;
    uint64_t cause, pc, addr, status;
};

/* An exception's registers as the arch names them, for the report. */
#define EXC_MAX_REGS 12
struct exc_regs {
    int n;
    struct exc_reg {
        const char *name;
        uint64_t value;
        int digits;             /* hex digits of the value; 0: the text alone */
        char text[64];          /* what it decodes to: "(text)" after the value */
    } reg[EXC_MAX_REGS];
};
/* Add one register, with what it decodes to (printf-style) or without. */
void exc_reg(struct exc_regs *r, const char *name, uint64_t value, int digits, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void exc_reg_hex(struct exc_regs *r, const char *name, uint64_t value, int digits);
/* Every register of e as "name" / "0x... (text)" through emit: the one
 * formatter of exception reports (the console, a test's YAML). */
void exc_describe(const struct exc_info *e, void (*emit)(const char *k, const char *v));

/* Called by the arch for every synchronous exception or unexpected
 * vector. Returns only if the arch should resume (never, today).
 * Inside a test (percpu recover set) the exception goes to the test hook
 * and the CPU unwinds to the recover point; outside one it is printed and
 * the CPU parks (a secondary) or the run ends (the boot CPU). */
void exception_entry(struct exc_info *e);

/* Registered by the runner: record e (on cpu) in the current test's
 * report. Called with the console usable; must not return into the
 * faulting code (exception_entry unwinds after it). */
void exception_set_test_hook(void (*hook)(const struct exc_info *e, int cpu));

/* Run fn(arg) on this CPU; true if it raised an exception, which is then
 * described in *out and swallowed. For probes (semihosting) and for the
 * exception self-test. */
bool try_call(void (*fn)(void *), void *arg, struct exc_record *out);

#endif
