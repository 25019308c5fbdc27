/* SBI calls (the Supervisor Binary Interface to OpenSBI), v0.2 convention:
 * a7 = extension, a6 = function, a0..a5 arguments; a0 = error, a1 = value. */
#include "riscv.h"
#include <stdio.h>

char sbi_desc[48] = "SBI (not probed)";

struct sbiret sbi_ecall(unsigned long ext, unsigned long fid, unsigned long arg0,
                        unsigned long arg1, unsigned long arg2)
{
    register unsigned long a0 __asm__("a0") = arg0;
    register unsigned long a1 __asm__("a1") = arg1;
    register unsigned long a2 __asm__("a2") = arg2;
    register unsigned long a6 __asm__("a6") = fid;
    register unsigned long a7 __asm__("a7") = ext;

    __asm__ __volatile__("ecall" : "+r"(a0), "+r"(a1) : "r"(a2), "r"(a6), "r"(a7) : "memory");
    return (struct sbiret){ (long)a0, (long)a1 };
}

bool sbi_probe(unsigned long ext)
{
    struct sbiret r = sbi_ecall(SBI_EXT_BASE, 3, ext, 0, 0);    /* probe_extension */
    return r.error == 0 && r.value != 0;
}

const char *sbi_error_name(long err)
{
    switch (err) {
    case 0: return "SUCCESS";
    case -1: return "FAILED";
    case -2: return "NOT_SUPPORTED";
    case -3: return "INVALID_PARAM";
    case -4: return "DENIED";
    case -5: return "INVALID_ADDRESS";
    case -6: return "ALREADY_AVAILABLE";
    case -7: return "ALREADY_STARTED";
    case -8: return "ALREADY_STOPPED";
    default: return "unknown error";
    }
}

const char *sbi_hsm_state_name(long s)
{
    static const char *const names[] = { "STARTED", "STOPPED", "START_PENDING", "STOP_PENDING",
                                         "SUSPENDED", "SUSPEND_PENDING", "RESUME_PENDING" };
    return s >= 0 && s < (long)ARRAY_SIZE(names) ? names[s] : "unknown state";
}

void riscv_sbi_init(void)
{
    struct sbiret spec = sbi_ecall(SBI_EXT_BASE, 0, 0, 0, 0);
    struct sbiret impl = sbi_ecall(SBI_EXT_BASE, 1, 0, 0, 0);
    struct sbiret ver = sbi_ecall(SBI_EXT_BASE, 2, 0, 0, 0);

    if (spec.error) {       /* SBI v0.1: only the legacy calls */
        snprintf(sbi_desc, sizeof(sbi_desc), "SBI v0.1 (legacy)");
        return;
    }
    riscv_facts.has_hsm = sbi_probe(SBI_EXT_HSM);
    riscv_facts.has_time = sbi_probe(SBI_EXT_TIME);
    riscv_facts.has_ipi = sbi_probe(SBI_EXT_IPI);
    riscv_facts.has_srst = sbi_probe(SBI_EXT_SRST);
    if (!impl.error && impl.value == 1 && !ver.error)      /* OpenSBI: major << 16 | minor */
        snprintf(sbi_desc, sizeof(sbi_desc), "OpenSBI-v%lu.%lu/SBI-%lu.%lu",
                 (unsigned long)ver.value >> 16, (unsigned long)ver.value & 0xffff,
                 ((unsigned long)spec.value >> 24) & 0x7f, (unsigned long)spec.value & 0xffffff);
    else
        snprintf(sbi_desc, sizeof(sbi_desc), "sbi-impl%ld/SBI-%lu.%lu", impl.value,
                 ((unsigned long)spec.value >> 24) & 0x7f, (unsigned long)spec.value & 0xffffff);
}
