/* The GPIO controllers the drivers registered (include/gpio.h). */
#include "gpio.h"

#define MAX_CHIPS 8

static const struct gpio_chip *chips[MAX_CHIPS];
static int nr_chips;

bool gpio_chip_register(const struct gpio_chip *chip)
{
    if (nr_chips == MAX_CHIPS)
        return false;
    chips[nr_chips++] = chip;
    return true;
}

const struct gpio_chip *gpio_chip_of_node(int node)
{
    for (int i = 0; i < nr_chips; i++)
        if (chips[i]->node >= 0 && chips[i]->node == node)
            return chips[i];
    return NULL;
}
