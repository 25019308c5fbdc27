/* The end of the run (include/exit.h). */
#include "arch.h"
#include "console.h"
#include "exit.h"
#include <atomic.h>
#include <irqflags.h>

#define MAX_EXIT_DEVICES 8

static const struct exit_device *devices[MAX_EXIT_DEVICES];
static int nr_devices;
static int (*exit_hook)(int status);
static bool exiting;

void exit_register(const struct exit_device *dev)
{
    if (nr_devices == MAX_EXIT_DEVICES) {
        pr_warn("exit: more than %d exit devices; %s not used\n", MAX_EXIT_DEVICES, dev->name);
        return;
    }
    devices[nr_devices++] = dev;
}

void exit_set_hook(int (*hook)(int status)) { exit_hook = hook; }

/* Every registered device that can say `status`; returns if none did. */
static void try_devices(int status, bool poweroff)
{
    for (int i = 0; i < nr_devices; i++) {
        const struct exit_device *d = devices[i];
        bool fits = poweroff ? d->kind == EXIT_POWEROFF
                             : d->kind == EXIT_STATUS || (d->kind == EXIT_FAILURE && status != 0);
        if (!fits)
            continue;
        d->exit(d, status);
        pr_info("# exit: %s did not end the run\n", d->name);
    }
}

__noreturn void machine_exit(int status)
{
    static atomic_t entered;

    local_irq_disable();
    if (atomic_fetch_add(1, &entered)) {
        /* Again (a device faulted, or another CPU got here first): no
         * device twice, straight to the arch's own ways out. */
        arch_exit(status);
        arch_poweroff(status);
        arch_halt();
    }
    try_devices(status, false);
    arch_exit(status);                  /* the arch's own way to say the status */
    if (status != 0)
        pr_info("# exit: status %d, but no exit device here can report it; powering off "
                "(QEMU will exit 0)\n", status);
    try_devices(status, true);
    arch_poweroff(status);
    pr_info("# exit: no way to power off; halting\n");
    arch_halt();
}

__noreturn void orderly_exit(int status)
{
    if (!exiting && exit_hook) {
        exiting = true;             /* a fault in the hook must not loop back here */
        status = exit_hook(status);
    }
    /* a run nobody could read is not a pass, whatever its tests said */
    if (console_is_dead() && status == 0)
        status = EXIT_STATUS_CONSOLE_LOST;
    machine_exit(status);
}
