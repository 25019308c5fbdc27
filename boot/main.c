/* The boot CPU's path from entry to the test runner. */
#include "arch.h"
#include "boot.h"
#include "console.h"
#include "driver.h"
#include "exit.h"
#include "fdt.h"
#include "memmap.h"
#include "options.h"
#include "percpu.h"
#include "runner.h"
#include "smp.h"
#include <irqflags.h>
#include <stdio.h>

struct boot_info boot_info;

#define DTB_MAX_SIZE (2u << 20)

/* given: the boot protocol handed this blob over, so its refusal is news;
 * the fallback address only guesses, and may hold anything. */
static const void *try_dtb(const void *p, const char *source, bool given)
{
    static char refused[160];
    const char *why = NULL;

    if (!p) {
        pr_warn("dtb: no device tree from %s\n", source);
        return NULL;
    }
    if (dt_check(p, DTB_MAX_SIZE, &why) != 0) {
        pr_warn("dtb: %s at %p is not a usable device tree: %s\n", source, p, why ? why : "?");
        if (given && !boot_info.dtb_refused) {
            snprintf(refused, sizeof(refused), "%s (%s, %p)", why ? why : "?", source, p);
            boot_info.dtb_refused = refused;
        }
        return NULL;
    }
    return p;
}

/* The DTB from the boot protocol, else the platform's documented
 * fallback address, else none (platform defaults, said loudly). */
static void find_dtb(const void *given)
{
    boot_info.dtb = try_dtb(given, "the boot register", true);
    boot_info.dtb_source = "boot-register";
#ifdef PLATFORM_DTB_FALLBACK
    if (!boot_info.dtb) {
        boot_info.dtb = try_dtb((const void *)(uintptr_t)PLATFORM_DTB_FALLBACK,
                                "the platform fallback address", false);
        boot_info.dtb_source = "fallback-address";
    }
#endif
    if (!boot_info.dtb) {
        boot_info.dtb_source = "none";
        pr_warn("dtb: continuing without a device tree: RAM 0x%llx+0x%llx, console %s@0x%lx, "
                "boot CPU only, no interrupts (platform defaults)\n",
                (unsigned long long)PLATFORM_RAM_BASE, (unsigned long long)PLATFORM_RAM_SIZE,
                PLATFORM_CONSOLE, (unsigned long)PLATFORM_CONSOLE_ADDR);
    }
}

static const char *read_bootargs(const void *dtb)
{
    int chosen = dtb ? dt_path(dtb, "/chosen") : -1;
    const char *args = chosen >= 0 ? dt_prop_str(dtb, chosen, "bootargs") : NULL;
    return args ? args : "";
}

static void percpu_oom(size_t bytes)
{
    pr_err("percpu: no heap left for %lu bytes of per-CPU tables (%d cpus; the heap is sized "
           "for the build's NR_CPUS=%d)\n", (unsigned long)bytes, nr_cpus_possible, NR_CPUS);
    orderly_exit(2);
}

__noreturn void boot_main(const void *dtb)
{
    boot_info.t_entry = arch_counter();
    percpu[0].cpu = 0;
    percpu[0].hwid = arch_boot_hwid();
    cpu_state_set(&percpu[0], CPU_ONLINE);
    arch_set_percpu_ptr(&percpu[0]);
    local_irq_disable();

    console_init_default();
    find_dtb(dtb);
    console_init_dt(boot_info.dtb);
    boot_info.bootargs = read_bootargs(boot_info.dtb);
    options_parse(boot_info.bootargs);

    arch_early_init(boot_info.dtb);
    memmap_init(boot_info.dtb);
    arch_mmu_enable();
    percpu_set_oom_hook(percpu_oom);
    smp_discover(boot_info.dtb);
    drivers_probe(boot_info.dtb);
    board_init(boot_info.dtb);

    char why[128] = "";
    if (!boot_info.dtb || arch_irq_init(boot_info.dtb, why, sizeof(why)) != 0)
        pr_warn("irq: no interrupt controller: %s\n", boot_info.dtb ? why : "no device tree");
    arch_irq_init_cpu();

    smp_boot_secondaries();
    run_tests();
}
