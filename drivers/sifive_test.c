/* SiFive test finisher ("sifive,test0/1"; QEMU virt riscv64): one write
 * ends the run, 0x5555 = pass (QEMU exits 0), code << 16 | 0x3333 = fail
 * with that exit code (1..255). */
#include "driver.h"
#include "exit.h"
#include "fdt.h"
#include <io.h>

#define FINISHER_PASS   0x5555
#define FINISHER_FAIL   0x3333

static void *regs;

static void sifive_test_exit(const struct exit_device *dev, int status)
{
    unsigned code = status < 0 ? 255 : status > 255 ? 255 : (unsigned)status;

    (void)dev;
    writel(code ? (code << 16) | FINISHER_FAIL : FINISHER_PASS, regs);
}

static const struct exit_device finisher = {
    .name = "sifive_test", .kind = EXIT_STATUS, .exit = sifive_test_exit,
};

static int sifive_test_probe(const void *dtb, int node)
{
    uint64_t base, size;

    if (regs || dt_reg(dtb, node, 0, &base, &size))
        return -1;                      /* one finisher is enough */
    if (!(regs = ioremap(base, size, "sifive_test")))
        return -1;
    exit_register(&finisher);
    return 0;
}

static const char *const sifive_test_compat[] = { "sifive,test1", "sifive,test0", NULL };
static const struct dt_driver sifive_test = {
    .name = "sifive_test", .compatible = sifive_test_compat, .probe = sifive_test_probe,
};
DT_DRIVER(sifive_test);
