/* GPIO controllers (drivers/gpio_*.c) as seen by their users (a power-off
 * line): a pin driven as an output. */
#ifndef ORDERLY_GPIO_H
#define ORDERLY_GPIO_H

#include "compiler.h"

struct gpio_chip {
    const char *name;
    int node;                       /* its DT node (gpios = <&phandle ...>), -1 if none */
    void (*set_output)(const struct gpio_chip *chip, unsigned pin, bool high);
    void *regs;
};

/* From a controller driver: the chip stays valid for good; false if full. */
bool gpio_chip_register(const struct gpio_chip *chip);
/* The chip registered for DT node `node`, or NULL. */
const struct gpio_chip *gpio_chip_of_node(int node);

/* For board code without a device tree (platforms/<p>/board.c). */
const struct gpio_chip *gpio_mpc8xxx_add(uint64_t phys);
void gpio_poweroff_add(const struct gpio_chip *chip, int node, unsigned pin, bool active_low);

#endif
