/* Secondary CPU bring-up (boot/smp.c): count /cpus and size the per-CPU
 * state to it, start every other CPU through the arch's start method,
 * wait (with a timeout) for each. */
#ifndef ORDERLY_SMP_H
#define ORDERLY_SMP_H

/* Before anything allocates a per-CPU table (interrupt controllers). */
void smp_discover(const void *dtb);
void smp_boot_secondaries(void);

#endif
