/* NS16550-compatible UART, transmit only (riscv virt, ppce500 CCSR). The
 * firmware has programmed the divisor; we wait for THR empty. */
#include "console.h"
#include <io.h>

#define THR       0
#define LSR       5
#define LSR_THRE  0x20

static void ns16550_putc(uintptr_t base, uint32_t shift, char c)
{
    volatile uint8_t *r = (volatile uint8_t *)base;
    while (!(readb_relaxed(r + (LSR << shift)) & LSR_THRE))
        ;
    writeb_relaxed((uint8_t)c, r + (THR << shift));
}

static const char *const ns16550_compat[] = { "ns16550a", "ns16550", "ns16450", NULL };
static const struct console_driver ns16550 = {
    .name = "ns16550", .compatible = ns16550_compat, .putc = ns16550_putc,
};
CONSOLE_DRIVER(ns16550);
