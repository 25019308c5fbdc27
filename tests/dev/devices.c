/* The devices the io/ and dma/ tests drive, checked on their own first:
 * the PCI hosts and what their bus 0 holds, fw_cfg's directory and
 * transfers, edu's registers and DMA engine. A device the platform does
 * not have is a skip that names it; one that is there but misbehaves is
 * a failure. */
#include "arch.h"
#include "boot.h"
#include "clock.h"
#include "../devices.h"
#include "edu.h"
#include "fdt.h"
#include "fw_cfg.h"
#include "pci.h"
#include "test.h"
#include <asm/processor.h>
#include <irqflags.h>
#include <string.h>

/* The first available PCI host bridge node of the device tree, or -1. */
static int dt_pci_host(void)
{
    const void *dtb = boot_info.dtb;

    for (int n = dtb ? dt_root(dtb) : -1; n >= 0; n = dt_next_node(dtb, n)) {
        const char *t = dt_prop_str(dtb, n, "device_type");
        if (t && !strcmp(t, "pci") && dt_is_available(dtb, n))
            return n;
    }
    return -1;
}

static void describe_bars(const struct pci_dev *d)
{
    for (int b = 0; b < PCI_NR_BARS; b++) {
        const struct pci_bar *bar = &d->bar[b];
        if (!bar->size)
            continue;
        if (bar->pci)
            test_yaml("    bar%d: {size: 0x%llx, pci: 0x%llx%s}", b, (unsigned long long)bar->size,
                      (unsigned long long)bar->pci, bar->is64 ? ", 64bit: true" : "");
        else
            test_yaml("    bar%d: {size: 0x%llx, unassigned: \"%s\"}", b,
                      (unsigned long long)bar->size, bar->why ? bar->why : "");
    }
}

TEST(dev_pci, .name = "dev/pci")
{
    const struct pci_host *h;
    const struct pci_dev *d;
    int nh = 0, nd = 0;

    for (; (h = pci_host_at(nh)); nh++)
        test_yaml("host%d: {name: %s, mem_cpu: 0x%llx, mem_pci: 0x%llx, mem_size: 0x%llx}", nh,
                  h->name, (unsigned long long)h->mem_cpu, (unsigned long long)h->mem_pci,
                  (unsigned long long)h->mem_size);
    if (!nh) {
        int node = dt_pci_host();
        uint64_t pa, size;
        if (node < 0)
            test_skip("no PCI host bridge in the device tree");
        else if (dt_reg(boot_info.dtb, node, 0, &pa, &size))
            test_skip("PCI host bridge %s has no usable reg (reported at boot)",
                      dt_name(boot_info.dtb, node));
        else
            test_fail("the device tree's PCI host bridge %s has no driver", dt_name(boot_info.dtb, node));
        return;
    }
    test_yaml("devices:");
    for (; (d = pci_dev_at(nd)); nd++) {
        test_yaml("  - {at: \"%02x.%u\", id: \"%04x:%04x\", class: 0x%06x, pin: %u}",
                  PCI_SLOT(d->devfn), PCI_FUNC(d->devfn), d->vendor, d->device,
                  (unsigned)(d->class_rev >> 8), d->irq_pin);
        describe_bars(d);
    }
    check(nd > 0, "bus 0 of %d host(s) holds no device, not even the host bridge", nh);
    test_note("%d host(s), %d device(s) on bus 0", nh, nd);
}

static void fw_cfg_directory(unsigned *nfiles, char first[56], uint16_t *key, uint32_t *size)
{
    char name[56];
    uint16_t k;
    uint32_t sz;

    *nfiles = 0;
    test_yaml("files:");
    for (unsigned i = 0; !fw_cfg_file_at(i, name, &k, &sz); i++, (*nfiles)++) {
        if (i < 8)
            test_yaml("  - {name: \"%s\", key: 0x%04x, size: %u}", name, k, (unsigned)sz);
        if (i == 0 || (sz && !*size)) {
            memcpy(first, name, 56);
            *key = k;
            *size = sz;
        }
    }
}

TEST(dev_fw_cfg, .name = "dev/fw-cfg")
{
    uint8_t sig[4], pio[64], dma[64];
    char name[56] = "";
    uint16_t key = 0, found;
    uint32_t size = 0, fsize;
    unsigned nfiles;

    if (!fw_cfg_present()) {
        test_skip("no qemu,fw-cfg-mmio node in the device tree");
        return;
    }
    fw_cfg_read(FW_CFG_SIGNATURE, sig, sizeof(sig));
    check(!memcmp(sig, "QEMU", 4), "signature is not \"QEMU\"");
    fw_cfg_directory(&nfiles, name, &key, &size);
    if (!check(nfiles > 0, "the file directory is empty"))
        return;
    check(!fw_cfg_find_file(name, &found, &fsize) && found == key && fsize == size,
          "file \"%s\" not found again by name", name);
    check(fw_cfg_find_file("no/such/file", &found, &fsize) == FW_CFG_ERR_NOFILE,
          "a file that does not exist was found");
    size = MIN(size, sizeof(pio));
    memset(pio, 0x5a, sizeof(pio));
    memset(dma, 0xa5, sizeof(dma));
    fw_cfg_read(key, pio, size);
    if (!fw_cfg_has_dma()) {
        test_note("%u files; \"%s\" read (no DMA interface)", nfiles, name);
        return;
    }
    int rc = fw_cfg_dma_read(key, dma, size);
    if (!check(rc == 0, "DMA read of \"%s\" failed (%d)", name, rc))
        return;
    check(!memcmp(pio, dma, size), "\"%s\": the DMA read differs from the data-register read", name);
    test_note("%u files; \"%s\" (%u bytes) read by data register and by DMA alike", nfiles, name,
              (unsigned)size);
}

TEST(dev_edu, .name = "dev/edu")
{
    static uint8_t out[256] __aligned(64), back[256] __aligned(64);
    struct edu *e = test_edu();
    uint32_t f = 0;

    if (!e)
        return;
    test_yaml("id: 0x%08x", (unsigned)e->id);
    for (uint32_t x = 1; x; x <<= 7) {
        edu_write(e, EDU_REG_LIVE, x);
        check(edu_read(e, EDU_REG_LIVE) == ~x, "liveness: wrote 0x%08x, read 0x%08x, not the inverse",
              (unsigned)x, (unsigned)edu_read(e, EDU_REG_LIVE));
    }
    for (uint32_t n = 0; n <= 12; n += 4)
        if (check(!edu_factorial(e, n, &f, 100), "factorial of %u: still busy after 100 ms", (unsigned)n))
            check(f == edu_factorial_want(n), "factorial of %u: %u, not %u", (unsigned)n, (unsigned)f,
                  (unsigned)edu_factorial_want(n));
    for (unsigned i = 0; i < sizeof(out); i++)
        out[i] = (uint8_t)(i * 7 + 3), back[i] = 0;
    int rc1 = edu_dma(e, out, 0, sizeof(out), false, 1000);
    int rc2 = rc1 ? rc1 : edu_dma(e, back, 0, sizeof(back), true, 1000);
    if (check(!rc1 && !rc2, "DMA round trip did not complete (%d/%d)", rc1, rc2))
        check(!memcmp(out, back, sizeof(out)), "DMA round trip: RAM -> edu -> RAM changed the data");
    test_note("liveness, factorial and a %u-byte DMA round trip", (unsigned)sizeof(out));
}

/* edu's interrupt, however it is delivered: raised by a register write,
 * by the end of a factorial and of a DMA transfer; acknowledged by the
 * handler, held off while interrupts are disabled. */
static void edu_interrupt_checks(struct edu *e)
{
    static uint8_t buf[64] __aligned(64);
    unsigned long seen, flags;
    uint64_t t0;

    test_yaml("line: \"%s\"", e->irq_desc);
    seen = READ_ONCE(e->irqs);
    t0 = arch_counter();
    edu_write(e, EDU_REG_IRQ_RAISE, 0x1234);
    if (check(wait_edu_irq(e, seen, 100), "raised interrupt not taken within 100 ms")) {
        check(READ_ONCE(e->irq_status) == 0x1234, "handler saw status 0x%x, not 0x1234",
              (unsigned)e->irq_status);
        test_yaml("raise_to_handler_us: %llu", (unsigned long long)ticks_to_us(e->irq_at - t0));
    }
    /* masked: held, then taken at restore */
    seen = READ_ONCE(e->irqs);
    flags = local_irq_save();
    edu_write(e, EDU_REG_IRQ_RAISE, 0x4);
    udelay(2000);
    check(READ_ONCE(e->irqs) == seen, "interrupt taken while interrupts were disabled");
    local_irq_restore(flags);
    check(wait_edu_irq(e, seen, 100), "held interrupt not taken after local_irq_restore()");
    /* factorial done */
    seen = READ_ONCE(e->irqs);
    edu_write(e, EDU_REG_STATUS, EDU_STATUS_IRQFACT);
    edu_write(e, EDU_REG_FACT, 5);
    if (check(wait_edu_irq(e, seen, 100), "no interrupt at the end of a factorial"))
        check(READ_ONCE(e->irq_status) == EDU_IRQ_FACT && edu_read(e, EDU_REG_FACT) == 120,
              "factorial interrupt: status 0x%x, result %u", (unsigned)e->irq_status,
              (unsigned)edu_read(e, EDU_REG_FACT));
    edu_write(e, EDU_REG_STATUS, 0);
    /* DMA done */
    seen = READ_ONCE(e->irqs);
    if (check(!edu_dma_setup(e, buf, 0, sizeof(buf), true), "edu DMA setup refused the buffer")) {
        edu_write(e, EDU_REG_DMA_CMD, EDU_DMA_RUN | EDU_DMA_TO_RAM | EDU_DMA_IRQ);
        bool done = wait_edu_irq(e, seen, 1000);
        edu_dma_done(e, buf, sizeof(buf), true);
        if (check(done, "no interrupt at the end of a DMA transfer"))
            check(READ_ONCE(e->irq_status) == EDU_IRQ_DMA, "DMA interrupt: status 0x%x",
                  (unsigned)e->irq_status);
    }
    test_note("%s: raised, held while masked, factorial and DMA completion", e->irq_desc);
}

/* Enabled one way; a way the platform lacks is a skip (MSI) or a failure. */
static void edu_irq_test(int (*enable)(struct edu *, char *, size_t), const char *how,
                         bool required)
{
    struct edu *e = test_edu();
    char why[96];

    if (!e)
        return;
    if (enable(e, why, sizeof(why)) == 0)
        edu_interrupt_checks(e);
    else if (required)
        test_fail("edu %s: %s", how, why);
    else
        test_skip("edu %s: %s", how, why);
    edu_irq_disable(e);
}

TEST(dev_edu_irq, .name = "dev/edu-irq")
{
    edu_irq_test(edu_irq_enable, "INTx", true);
}

/* MSI where the interrupt controller has an MSI frame the image drives
 * (arm64 GICv2m); elsewhere a skip that says why. */
TEST(dev_edu_msi, .name = "dev/edu-msi")
{
    edu_irq_test(edu_msi_enable, "MSI", false);
}
