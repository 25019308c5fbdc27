/* The console the run prints on: the one the device tree's
 * /chosen/stdout-path names. A device tree that names none (or one no
 * driver here can drive) still gets the whole run on the platform's
 * default console, and this test fails so that the run says so; without a
 * device tree the default is all there is. */
#include "boot.h"
#include "console.h"
#include "test.h"

TEST(selftest_console, .name = "selftest/console")
{
    if (!boot_info.dtb) {
        test_skip("no device tree: the platform default %s", console_desc());
        return;
    }
    check(!console_is_default(), "the device tree names no usable console: the run is on the "
          "platform default %s", console_desc());
    test_note("%s", console_desc());
}
