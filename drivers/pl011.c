/* Arm PL011 UART, transmit only. The firmware (or QEMU) has already set
 * the baud rate; we only wait for room in the FIFO. */
#include "console.h"
#include <io.h>

#define UARTDR   0x00
#define UARTFR   0x18
#define FR_TXFF  (1u << 5)

static void pl011_putc(uintptr_t base, uint32_t shift, char c)
{
    (void)shift;
    while (readl_relaxed((void *)(base + UARTFR)) & FR_TXFF)
        ;
    writel_relaxed((uint8_t)c, (void *)(base + UARTDR));
}

static const char *const pl011_compat[] = { "arm,pl011", "arm,sbsa-uart", NULL };
static const struct console_driver pl011 = {
    .name = "pl011", .compatible = pl011_compat, .putc = pl011_putc,
};
CONSOLE_DRIVER(pl011);
