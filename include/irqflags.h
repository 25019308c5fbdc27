/* Local interrupt masking, from the arch's irqflags primitives. */
#ifndef ORDERLY_IRQFLAGS_H
#define ORDERLY_IRQFLAGS_H

#include "compiler.h"
#include <asm/irqflags.h>

#define local_irq_enable()      arch_local_irq_enable()
#define local_irq_disable()     arch_local_irq_disable()
#define local_irq_save()        arch_local_irq_save()
#define local_irq_restore(f)    arch_local_irq_restore(f)
#define irqs_disabled()         arch_irqs_disabled()

/* Broken on purpose, for the negative control of tests/irq/compiler_barrier.c
 * only: the instructions above without their compiler barrier. */
#define __local_irq_enable_noclobber()      arch_local_irq_enable_noclobber()
#define __local_irq_disable_noclobber()     arch_local_irq_disable_noclobber()
#define __local_irq_save_noclobber()        arch_local_irq_save_noclobber()
#define __local_irq_restore_noclobber(f)    arch_local_irq_restore_noclobber(f)

#endif
