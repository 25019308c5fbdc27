/* "gpio-poweroff": driving one GPIO line switches the machine off (QEMU
 * ppce500: pin 0 of its GPIO controller). The host sees exit status 0, so
 * this is the pass path only. The controller is looked up when the run
 * ends, so it may come anywhere in the tree; the line also holds a
 * controller registered by board code. */
#include "clock.h"
#include "console.h"
#include "driver.h"
#include "exit.h"
#include "fdt.h"
#include "gpio.h"

#define GPIO_ACTIVE_LOW 1           /* the flags cell of gpios */

static struct {
    const struct gpio_chip *chip;   /* board code's, else found by node */
    int node;
    unsigned pin;
    bool active_low;
} line;

static void gpio_poweroff_exit(const struct exit_device *dev, int status)
{
    const struct gpio_chip *chip = line.chip ? line.chip : gpio_chip_of_node(line.node);

    (void)dev;
    (void)status;
    if (!chip) {
        pr_warn("exit: gpio-poweroff: no driver for its GPIO controller\n");
        return;
    }
    chip->set_output(chip, line.pin, !line.active_low);
    udelay(100000);
}

static const struct exit_device poweroff = {
    .name = "gpio-poweroff", .kind = EXIT_POWEROFF, .exit = gpio_poweroff_exit,
};

void gpio_poweroff_add(const struct gpio_chip *chip, int node, unsigned pin, bool active_low)
{
    line.chip = chip;
    line.node = node;
    line.pin = pin;
    line.active_low = active_low;
    exit_register(&poweroff);
}

/* gpios = <&controller pin flags> */
static int gpio_poweroff_probe(const void *dtb, int node)
{
    int len, ctrl;
    const uint8_t *g = dt_prop(dtb, node, "gpios", &len);

    if (!g || len < 8 || (ctrl = dt_find_phandle(dtb, (uint32_t)dt_read_cells(g, 1))) < 0) {
        pr_warn("exit: gpio-poweroff names no usable GPIO controller\n");
        return -1;
    }
    gpio_poweroff_add(NULL, ctrl, (unsigned)dt_read_cells(g + 4, 1),
                      len >= 12 && (dt_read_cells(g + 8, 1) & GPIO_ACTIVE_LOW));
    return 0;
}

static const char *const gpio_poweroff_compat[] = { "gpio-poweroff", NULL };
static const struct dt_driver gpio_poweroff = {
    .name = "gpio-poweroff", .compatible = gpio_poweroff_compat, .probe = gpio_poweroff_probe,
};
DT_DRIVER(gpio_poweroff);
