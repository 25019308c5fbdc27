/* NS16550-compatible UART, transmit only (riscv virt, ppce500 CCSR). The
 * firmware has programmed the divisor; the console core waits for THR
 * empty. */
#include "console.h"
#include <io.h>

#define THR       0
#define LSR       5
#define LSR_THRE  0x20

static bool ns16550_tx_ready(uintptr_t base, uint32_t shift)
{
    return readb_relaxed((volatile uint8_t *)base + (LSR << shift)) & LSR_THRE;
}

static void ns16550_tx(uintptr_t base, uint32_t shift, char c)
{
    writeb_relaxed((uint8_t)c, (volatile uint8_t *)base + (THR << shift));
}

static const char *const ns16550_compat[] = { "ns16550a", "ns16550", "ns16450", NULL };
static const struct console_driver ns16550 = {
    .name = "ns16550", .compatible = ns16550_compat, .tx_ready = ns16550_tx_ready,
    .tx = ns16550_tx,
};
CONSOLE_DRIVER(ns16550);
