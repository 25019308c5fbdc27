/* The end of the run. orderly_exit() gives the runner its last word (the
 * time, the summary, the exit line) through a hook registered downward,
 * then machine_exit() ends the machine with the status. */
#ifndef ORDERLY_EXIT_H
#define ORDERLY_EXIT_H

#include "compiler.h"

/* The runner's last word, called once: prints what it has and returns
 * the status to end with (the given one, or its own verdict if that is 0). */
void exit_set_hook(int (*hook)(int status));

__noreturn void orderly_exit(int status);
/* No last word: straight to the exit device (or the arch's own method). */
__noreturn void machine_exit(int status);

#endif
