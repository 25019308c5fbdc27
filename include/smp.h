/* Secondary CPU bring-up (boot/smp.c): discover /cpus, start every other
 * CPU through the arch's start method, wait (with a timeout) for each. */
#ifndef ORDERLY_SMP_H
#define ORDERLY_SMP_H

void smp_boot_secondaries(const void *dtb);

#endif
