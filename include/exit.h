/* The end of the run. orderly_exit() gives the runner its last word (the
 * time, the summary, the exit line) through a hook registered downward,
 * then machine_exit() ends the machine with the status: through the exit
 * devices the drivers registered from the device tree, falling back to the
 * arch's own methods (semihosting, SBI, PSCI) only when none of those
 * ends the run. */
#ifndef ORDERLY_EXIT_H
#define ORDERLY_EXIT_H

#include "compiler.h"

/* What an exit device can tell the host (QEMU's exit status). */
enum exit_kind {
    EXIT_STATUS,        /* any status (sifive_test) */
    EXIT_FAILURE,       /* only "failed" (pvpanic) */
    EXIT_POWEROFF,      /* only "off", the host sees 0 (gpio-poweroff) */
};

struct exit_device {
    const char *name;
    enum exit_kind kind;
    /* End the run; returns only if that did not work. */
    void (*exit)(const struct exit_device *dev, int status);
    void *priv;
};

/* From a driver's probe (or board code): dev stays valid for good. */
void exit_register(const struct exit_device *dev);

/* The runner's last word, called once: prints what it has and returns
 * the status to end with (the given one, or its own verdict if that is 0). */
void exit_set_hook(int (*hook)(int status));

/* The status of a run whose console stopped taking bytes (console.h):
 * distinct from a test failure (1). */
#define EXIT_STATUS_CONSOLE_LOST 3

__noreturn void orderly_exit(int status);
/* No last word: straight to the exit devices (or the arch's own methods). */
__noreturn void machine_exit(int status);

#endif
