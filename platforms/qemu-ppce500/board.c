/* QEMU ppce500 facts no device tree carries: without a gpio-poweroff node
 * (no DTB at all, or a broken one), pin 0 of the GPIO controller in CCSR
 * still powers the machine off. */
#include "console.h"
#include "driver.h"
#include "fdt.h"
#include "gpio.h"

#define BOARD_GPIO_PHYS     0xfe00ff000ULL      /* CCSR + 0xFF000 */
#define BOARD_POWEROFF_PIN  0

void board_init(const void *dtb)
{
    const struct gpio_chip *chip;

    if (dtb && dt_find_compatible(dtb, -1, "gpio-poweroff") >= 0)
        return;
    if (dtb)
        pr_warn("exit: no gpio-poweroff node; assuming GPIO %d at 0x%llx\n", BOARD_POWEROFF_PIN,
                (unsigned long long)BOARD_GPIO_PHYS);
    if ((chip = gpio_mpc8xxx_add(BOARD_GPIO_PHYS)))
        gpio_poweroff_add(chip, -1, BOARD_POWEROFF_PIN, false);
}
