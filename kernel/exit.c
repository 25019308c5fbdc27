/* The end of the run (include/exit.h). */
#include "arch.h"
#include "exit.h"

static int (*exit_hook)(int status);
static bool exiting;

void exit_set_hook(int (*hook)(int status)) { exit_hook = hook; }

__noreturn void machine_exit(int status)
{
    arch_exit(status);
}

__noreturn void orderly_exit(int status)
{
    if (!exiting && exit_hook) {
        exiting = true;             /* a fault in the hook must not loop back here */
        status = exit_hook(status);
    }
    machine_exit(status);
}
