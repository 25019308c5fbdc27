/* Freescale/NXP MPC8xxx / QorIQ GPIO controller ("fsl,qoriq-gpio" on QEMU
 * ppce500): big-endian registers, pin 0 is the most significant bit. */
#include "console.h"
#include "driver.h"
#include "fdt.h"
#include "gpio.h"
#include <io.h>

#define GPDIR   0x00        /* 1 = output */
#define GPDAT   0x08

#define MAX_CHIPS 4

static struct gpio_chip chips[MAX_CHIPS];
static int nr_chips;

static void mpc8xxx_set_output(const struct gpio_chip *chip, unsigned pin, bool high)
{
    uint8_t *r = chip->regs;
    uint32_t bit = 0x80000000u >> (pin & 31);
    uint32_t dat = ioread32be(r + GPDAT);

    iowrite32be(ioread32be(r + GPDIR) | bit, r + GPDIR);
    iowrite32be(high ? dat | bit : dat & ~bit, r + GPDAT);
}

static const struct gpio_chip *add_chip(uint64_t phys, uint64_t size, int node)
{
    struct gpio_chip *c;
    void *regs;

    if (nr_chips == MAX_CHIPS || !(regs = ioremap(phys, size, "gpio-mpc8xxx")))
        return NULL;
    c = &chips[nr_chips++];
    *c = (struct gpio_chip){ .name = "gpio-mpc8xxx", .node = node,
                             .set_output = mpc8xxx_set_output, .regs = regs };
    return gpio_chip_register(c) ? c : NULL;
}

const struct gpio_chip *gpio_mpc8xxx_add(uint64_t phys) { return add_chip(phys, 0x1000, -1); }

static int mpc8xxx_probe(const void *dtb, int node)
{
    uint64_t base, size;

    if (dt_reg(dtb, node, 0, &base, &size)) {
        pr_warn("gpio: %s has no usable reg\n", dt_name(dtb, node));
        return -1;
    }
    return add_chip(base, size, node) ? 0 : -1;
}

static const char *const mpc8xxx_compat[] = {
    "fsl,qoriq-gpio", "fsl,pq3-gpio", "fsl,mpc8572-gpio", "fsl,mpc8349-gpio", NULL,
};
static const struct dt_driver gpio_mpc8xxx = {
    .name = "gpio-mpc8xxx", .compatible = mpc8xxx_compat, .probe = mpc8xxx_probe,
};
DT_DRIVER(gpio_mpc8xxx);
