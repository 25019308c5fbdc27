/* Generic interrupt handling on top of the arch's controller: a per-CPU
 * one-shot timer multiplexed between tests and the test watchdog, and
 * IPIs. The arch calls irq_timer()/irq_ipi() after acknowledging. */
#ifndef ORDERLY_IRQ_H
#define ORDERLY_IRQ_H

#include "compiler.h"

void irq_timer(void);
void irq_ipi(void);
void irq_unexpected(unsigned id);

/* Arm this CPU's timer to fire `ticks` from now for a test (0 cancels);
 * the test's watchdog keeps running alongside. */
void timer_set_user(uint64_t ticks);
/* The same at an absolute counter value (0 cancels); a deadline already
 * passed fires as soon as interrupts are enabled. */
void timer_set_user_at(uint64_t deadline);
/* A test's interrupt handlers on the calling CPU: the timer hook runs in
 * the timer interrupt when the timer_set_user() deadline passes, the IPI
 * hook in every IPI after it is counted (percpu ipis); NULL removes.
 * They run with interrupts masked and must not take a lock the code they
 * interrupt may hold (the report API's, the console's). The runner clears
 * the boot CPU's timer hook after each test; a test removes whatever else
 * it set before its CPUs return. */
void irq_set_timer_hook(void (*fn)(void));
void irq_set_ipi_hook(void (*fn)(void));
/* Watchdog for the test running on this CPU: deadline in counter ticks
 * (absolute), 0 to cancel. */
void timer_set_watchdog(uint64_t deadline);
/* Called from the timer interrupt when a watchdog deadline passes
 * (registered by the runner; it may unwind out of the interrupt). */
void irq_set_watchdog_hook(void (*hook)(void));

/* ---- device interrupts (kernel/irq_device.c) ---- */
typedef void (*irq_handler_t)(void *arg);
/* Handle the device interrupt `spec` of controller node `ctrl` (a DT
 * interrupt specifier, as include/fdt.h's struct dt_irq holds it) with
 * h(arg), on the calling CPU: the controller's id for the line (>= 0), or
 * negative with the reason in why. The handler runs in interrupt context
 * with interrupts off, before the controller's end-of-interrupt, so it
 * must quieten a level source. */
int irq_request(const void *dtb, int ctrl, const uint32_t *spec, unsigned cells, irq_handler_t h,
                void *arg, char *why, size_t len);
/* The same for a message-signalled interrupt of MSI controller node
 * `ctrl`: *addr and *data are what the device must write. */
int irq_request_msi(const void *dtb, int ctrl, irq_handler_t h, void *arg, uint64_t *addr,
                    uint32_t *data, char *why, size_t len);
void irq_release(irq_handler_t h, void *arg);
/* From the arch's dispatcher: run the handler of line id; false when no
 * handler has it (the arch then reports it as unexpected). */
bool irq_device(unsigned id);

#endif
