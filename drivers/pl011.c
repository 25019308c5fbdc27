/* Arm PL011 UART, transmit only. The firmware (or QEMU) has already set
 * the baud rate; the console core waits for room in the FIFO. */
#include "console.h"
#include <io.h>

#define UARTDR   0x00
#define UARTFR   0x18
#define FR_TXFF  (1u << 5)

static bool pl011_tx_ready(uintptr_t base, uint32_t shift)
{
    (void)shift;
    return !(readl_relaxed((void *)(base + UARTFR)) & FR_TXFF);
}

static void pl011_tx(uintptr_t base, uint32_t shift, char c)
{
    (void)shift;
    writel_relaxed((uint8_t)c, (void *)(base + UARTDR));
}

static const char *const pl011_compat[] = { "arm,pl011", "arm,sbsa-uart", NULL };
static const struct console_driver pl011 = {
    .name = "pl011", .compatible = pl011_compat, .tx_ready = pl011_tx_ready,
    .tx = pl011_tx,
};
CONSOLE_DRIVER(pl011);
