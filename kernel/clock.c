/* Counter units and busy-wait delays (include/clock.h). */
#include "arch.h"
#include "clock.h"
#include <asm/processor.h>

uint64_t ms_to_ticks(uint64_t ms) { return ms * arch_counter_freq() / 1000; }
uint64_t ticks_to_us(uint64_t t) { return t * 1000000 / arch_counter_freq(); }
uint64_t us_to_ticks(uint64_t us) { return us * arch_counter_freq() / 1000000; }
uint64_t clock_deadline_ms(uint64_t ms) { return arch_counter() + ms_to_ticks(ms); }
bool clock_passed(uint64_t deadline) { return arch_counter() >= deadline; }

void udelay(uint64_t us)
{
    uint64_t end = arch_counter() + us_to_ticks(us);

    while (arch_counter() < end)
        cpu_relax();
}
