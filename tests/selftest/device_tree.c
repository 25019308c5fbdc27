/* The device tree the boot protocol handed over. One the reader refuses
 * (dt_check: truncated, a token or a length that runs past its block, a
 * name outside the strings block ...) leaves the run on platform defaults,
 * the boot CPU alone and no bootargs, where nearly every test skips and
 * the run would otherwise pass: this test is what makes it fail, naming
 * the reason. */
#include "boot.h"
#include "fdt.h"
#include "test.h"

TEST(selftest_device_tree, .name = "selftest/device-tree")
{
    if (boot_info.dtb) {
        test_note("%u bytes from the %s", (unsigned)dt_totalsize(boot_info.dtb),
                  boot_info.dtb_source);
        return;
    }
    if (!boot_info.dtb_refused) {
        test_skip("no device tree was given: platform defaults");
        return;
    }
    test_note("refused: %s", boot_info.dtb_refused);
    check(false, "the device tree was refused; the run is on platform defaults: the boot CPU "
          "only, no interrupts, no bootargs");
}
