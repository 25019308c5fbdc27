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
