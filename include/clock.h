/* Time from the CPU's own free-running counter (arch_counter()): unit
 * conversions and busy-wait delays. The lowest layer of the core: it
 * needs nothing but the arch's counter. */
#ifndef ORDERLY_CLOCK_H
#define ORDERLY_CLOCK_H

#include "compiler.h"

uint64_t ms_to_ticks(uint64_t ms);
uint64_t ticks_to_us(uint64_t ticks);
uint64_t us_to_ticks(uint64_t us);
void udelay(uint64_t us);
/* Bounded waits: a deadline ms from now, and whether it has passed. */
uint64_t clock_deadline_ms(uint64_t ms);
bool clock_passed(uint64_t deadline);

#endif
