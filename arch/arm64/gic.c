/* arm64 interrupts: GICv2 or GICv3 (chosen from the DT compatible), the
 * EL1 virtual timer (PPI 27) and SGI 0 as the IPI. */
#include "arch.h"
#include "arm64.h"
#include "console.h"
#include "fdt.h"
#include "irq.h"
#include "percpu.h"
#include <asm/barrier.h>
#include <asm/processor.h>
#include <io.h>
#include <stdio.h>
#include <string.h>

#define INTID_IPI       0
#define INTID_VTIMER    27
#define INTID_SPURIOUS  1023

/* GICD (both versions) */
#define GICD_CTLR       0x000
#define GICD_TYPER      0x004
#define GICD_ISENABLER  0x100
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR  0x800
#define GICD_IGROUPR    0x080
#define GICD_ICENABLER  0x180
#define GICD_ICFGR      0xc00
#define GICD_IROUTER    0x6000          /* v3, 8 bytes per SPI */
#define GIC_SPI_BASE    32
#define DT_GIC_SPI      0               /* specifier cell 0 */
#define DT_GIC_PPI      1
#define DT_IRQ_EDGE     0x3             /* cell 2: IRQ_TYPE_EDGE_* */
#define GICD_SGIR       0xf00
/* GICC (v2) */
#define GICC_CTLR       0x00
#define GICC_PMR        0x04
#define GICC_BPR        0x08
#define GICC_IAR        0x0c
#define GICC_EOIR       0x10
/* GICR (v3) */
#define GICR_TYPER      0x0008
#define GICR_WAKER      0x0014
#define GICR_STRIDE     0x20000
#define GICR_SGI_BASE   0x10000
#define GICR_IGROUPR0   0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_IPRIORITYR 0x0400

/* GICv2m MSI frame ("arm,gic-v2m-frame"): a write of an SPI's INTID to
 * MSI_SETSPI_NS raises it; MSI_TYPER says which SPIs the frame owns. */
#define V2M_MSI_TYPER       0x008
#define V2M_MSI_SETSPI_NS   0x040

static int gic_version;
static int v2m_node = -1;
static uint64_t v2m_phys;
static unsigned v2m_next, v2m_end;      /* SPIs (INTIDs) not given out yet */
static volatile uint8_t *gicd, *gicc;
/* GICv3 redistributor regions (#redistributor-regions; QEMU virt has a
 * second one above 4 GiB past 123 CPUs). */
#define GICR_MAX_REGIONS 8
static struct { volatile uint8_t *base; uint64_t size; } gicr_region[GICR_MAX_REGIONS];
static unsigned gicr_regions;
/* Per CPU, allocated for the CPUs found: its redistributor (v3), its
 * target mask (v2). */
static volatile uint8_t **gicr_of;
static uint8_t *gicv2_target;

const char *arch_irq_controller(void)
{
    return gic_version == 3 ? "gicv3" : gic_version == 2 ? "gicv2" : "none";
}

static void v2m_init(const void *dtb)
{
    uint64_t size;
    int node = dt_find_compatible(dtb, -1, "arm,gic-v2m-frame");

    if (node < 0 || dt_reg(dtb, node, 0, &v2m_phys, &size) || size < 0x1000)
        return;
    uint32_t typer = readl((volatile uint8_t *)(uintptr_t)v2m_phys + V2M_MSI_TYPER);
    v2m_next = (typer >> 16) & 0x3ff;
    v2m_end = v2m_next + (typer & 0x3ff);
    v2m_node = node;
}

int arch_irq_init(const void *dtb, char *why, size_t len)
{
    static const char *const v2[] = { "arm,cortex-a15-gic", "arm,gic-400", "arm,cortex-a9-gic" };
    uint64_t a0, s0, a1, s1;
    int node = -1;

    for (unsigned i = 0; dtb && i < ARRAY_SIZE(v2) && node < 0; i++)
        node = dt_find_compatible(dtb, -1, v2[i]);
    if (node >= 0) {
        gic_version = 2;
    } else if (dtb && (node = dt_find_compatible(dtb, -1, "arm,gic-v3")) >= 0) {
        gic_version = 3;
    } else {
        snprintf(why, len, "no GICv2 or GICv3 node in the device tree");
        return -1;
    }
    if (dt_reg(dtb, node, 0, &a0, &s0) || dt_reg(dtb, node, 1, &a1, &s1)) {
        snprintf(why, len, "%s node %s has no usable reg", arch_irq_controller(), dt_name(dtb, node));
        gic_version = 0;
        return -1;
    }
    gicd = (volatile uint8_t *)(uintptr_t)a0;
    if (gic_version == 2) {
        PERCPU_TABLE(gicv2_target);
        gicc = (volatile uint8_t *)(uintptr_t)a1;
        writel(0, gicd + GICD_CTLR);
        writel(3, gicd + GICD_CTLR);            /* enable group 0 and 1 forwarding */
    } else {
        uint32_t nr = 1;
        dt_prop_u32(dtb, node, "#redistributor-regions", &nr);
        for (unsigned r = 0; r < nr && r < GICR_MAX_REGIONS; r++, gicr_regions++) {
            if (r && dt_reg(dtb, node, (int)r + 1, &a1, &s1))
                break;
            gicr_region[r].base = (volatile uint8_t *)(uintptr_t)a1;
            gicr_region[r].size = s1;
        }
        PERCPU_TABLE(gicr_of);
        writel(0, gicd + GICD_CTLR);
        while (readl(gicd + GICD_CTLR) & (1u << 31))
            cpu_relax();                         /* RWP */
        writel((1u << 4) | 3, gicd + GICD_CTLR); /* ARE | EnableGrp1 | EnableGrp0 */
    }
    v2m_init(dtb);
    return 0;
}

int arch_msi_alloc(const void *dtb, int ctrl, uint64_t *addr, uint32_t *data, char *why,
                   size_t len)
{
    uint32_t spec[3] = { DT_GIC_SPI, 0, 1 /* edge */ };
    int id;

    if (v2m_node < 0 || ctrl != v2m_node) {
        snprintf(why, len, v2m_node < 0 ? "no GICv2m frame (a GICv3 ITS is not supported here)"
                                        : "the MSI controller is not the GICv2m frame");
        return -1;
    }
    if (v2m_next >= v2m_end || v2m_next < GIC_SPI_BASE) {
        snprintf(why, len, "the GICv2m frame has no SPI left");
        return -1;
    }
    spec[1] = v2m_next - GIC_SPI_BASE;
    if ((id = arch_irq_enable_line(dtb, ctrl, spec, 3, why, len)) < 0)
        return id;
    v2m_next++;
    *addr = v2m_phys + V2M_MSI_SETSPI_NS;
    *data = (uint32_t)id;
    return id;
}

static volatile uint8_t *gicv3_find_redist(uint64_t hwid)
{
    uint64_t aff = ((hwid >> 32) & 0xff) << 24 | (hwid & 0xffffff);
    for (unsigned r = 0; r < gicr_regions; r++) {
        for (uint64_t off = 0; off + GICR_STRIDE <= gicr_region[r].size; off += GICR_STRIDE) {
            volatile uint8_t *rd = gicr_region[r].base + off;
            uint64_t typer = readq(rd + GICR_TYPER);
            if ((typer >> 32) == aff)
                return rd;
            if (typer & (1u << 4))               /* Last (of this region) */
                break;
        }
    }
    return NULL;
}

static void gicv3_cpu_init(struct percpu *pc)
{
    volatile uint8_t *rd = gicv3_find_redist(pc->hwid);
    if (!rd) {
        pr_err("gicv3: no redistributor for cpu %d (mpidr 0x%llx)\n", pc->cpu,
               (unsigned long long)pc->hwid);
        return;
    }
    gicr_of[pc->cpu] = rd;
    writel(readl(rd + GICR_WAKER) & ~2u, rd + GICR_WAKER);     /* ProcessorSleep = 0 */
    while (readl(rd + GICR_WAKER) & 4u)                        /* ChildrenAsleep */
        cpu_relax();
    volatile uint8_t *sgi = rd + GICR_SGI_BASE;
    writel(0xffffffffu, sgi + GICR_IGROUPR0);                  /* group 1 */
    writeb(0xa0, sgi + GICR_IPRIORITYR + INTID_IPI);
    writeb(0xa0, sgi + GICR_IPRIORITYR + INTID_VTIMER);
    writel((1u << INTID_IPI) | (1u << INTID_VTIMER), sgi + GICR_ISENABLER0);

    uint64_t sre = read_sysreg(S3_0_C12_C12_5);                /* ICC_SRE_EL1 */
    write_sysreg(sre | 1, S3_0_C12_C12_5);
    isb();
    write_sysreg(0xf0, S3_0_C4_C6_0);                          /* ICC_PMR_EL1 */
    write_sysreg(0, S3_0_C12_C12_4);                           /* ICC_CTLR_EL1: EOImode 0 */
    write_sysreg(1, S3_0_C12_C12_7);                           /* ICC_IGRPEN1_EL1 */
    isb();
}

static void gicv2_cpu_init(struct percpu *pc)
{
    gicv2_target[pc->cpu] = readb(gicd + GICD_ITARGETSR);      /* banked: our own mask */
    writeb(0xa0, gicd + GICD_IPRIORITYR + INTID_IPI);
    writeb(0xa0, gicd + GICD_IPRIORITYR + INTID_VTIMER);
    writel((1u << INTID_IPI) | (1u << INTID_VTIMER), gicd + GICD_ISENABLER);
    writel(0xf0, gicc + GICC_PMR);
    writel(0, gicc + GICC_BPR);
    writel(3, gicc + GICC_CTLR);
}

void arch_irq_init_cpu(void)
{
    struct percpu *pc = this_cpu();

    write_sysreg(0, cntv_ctl_el0);
    if (gic_version == 3)
        gicv3_cpu_init(pc);
    else if (gic_version == 2)
        gicv2_cpu_init(pc);
}

void arch_timer_arm(uint64_t ticks)
{
    write_sysreg(ticks > 0x7fffffff ? 0x7fffffff : ticks, cntv_tval_el0);
    write_sysreg(1, cntv_ctl_el0);              /* ENABLE, not masked */
    isb();
}

void arch_timer_cancel(void)
{
    write_sysreg(0, cntv_ctl_el0);
    isb();
}

void arch_send_ipi(int cpu)
{
    uint64_t hwid = percpu[cpu].hwid;

    dsb(ish);   /* the data the IPI announces is visible first */
    if (gic_version == 3) {
        uint64_t v = ((hwid >> 32) & 0xff) << 48 | ((hwid >> 16) & 0xff) << 32 |
                     (uint64_t)INTID_IPI << 24 | ((hwid >> 8) & 0xff) << 16 |
                     (1u << (hwid & 0xf));
        write_sysreg(v, S3_0_C12_C11_5);        /* ICC_SGI1R_EL1 */
        isb();
    } else if (gic_version == 2) {
        writel((uint32_t)gicv2_target[cpu] << 16 | INTID_IPI, gicd + GICD_SGIR);
    }
}

/* An SPI from its 3-cell DT specifier (type, number, flags), to the
 * calling CPU, level or edge as the flags say, group 1 on v3. */
int arch_irq_enable_line(const void *dtb, int ctrl, const uint32_t *spec, unsigned cells,
                         char *why, size_t len)
{
    uint32_t id, bit, cfg;

    (void)ctrl;
    (void)dtb;
    if (!gic_version) {
        snprintf(why, len, "no GIC");
        return -1;
    }
    if (cells != 3 || spec[0] != DT_GIC_SPI || spec[1] >= 988) {
        snprintf(why, len, "not a GIC SPI specifier (%u cells, type %u)", cells, cells ? spec[0] : 0);
        return -1;
    }
    id = GIC_SPI_BASE + spec[1];
    bit = 1u << (id % 32);
    cfg = readl(gicd + GICD_ICFGR + 4 * (id / 16)) & ~(3u << 2 * (id % 16));
    if (spec[2] & DT_IRQ_EDGE)
        cfg |= 2u << 2 * (id % 16);
    writel(cfg, gicd + GICD_ICFGR + 4 * (id / 16));
    writeb(0xa0, gicd + GICD_IPRIORITYR + id);
    if (gic_version == 3) {
        uint64_t mpidr = this_cpu()->hwid;
        writel(readl(gicd + GICD_IGROUPR + 4 * (id / 32)) | bit, gicd + GICD_IGROUPR + 4 * (id / 32));
        writeq(mpidr & 0xff00ffffffull, gicd + GICD_IROUTER + 8 * id);
    } else {
        writeb(gicv2_target[this_cpu()->cpu], gicd + GICD_ITARGETSR + id);
    }
    writel(bit, gicd + GICD_ISENABLER + 4 * (id / 32));
    return (int)id;
}

void arch_irq_disable_line(unsigned id)
{
    if (gic_version && id >= GIC_SPI_BASE)
        writel(1u << (id % 32), gicd + GICD_ICENABLER + 4 * (id / 32));
}

static uint32_t gic_ack(void)
{
    if (gic_version == 3) {
        uint32_t v = (uint32_t)read_sysreg(S3_0_C12_C12_0);   /* ICC_IAR1_EL1 */
        dsb(sy);
        return v & 0xffffff;
    }
    return readl(gicc + GICC_IAR);
}

static void gic_eoi(uint32_t iar)
{
    if (gic_version == 3) {
        write_sysreg(iar, S3_0_C12_C12_1);                    /* ICC_EOIR1_EL1 */
        isb();
    } else {
        writel(iar, gicc + GICC_EOIR);
    }
}

/* EOI before the generic handler runs: it may unwind (a test's watchdog)
 * and must not leave the GIC's running priority raised behind it. */
void irq_arm64_dispatch(void)
{
    uint32_t iar = gic_ack(), id = iar & 0x3ff;

    if (id >= 1020)
        return;
    if (id == INTID_VTIMER) {
        write_sysreg(2, cntv_ctl_el0);          /* mask the level-triggered source */
        isb();
        gic_eoi(iar);
        irq_timer();
    } else if (id == INTID_IPI) {
        gic_eoi(iar);
        irq_ipi();
    } else {
        /* a device's handler quietens its level line before the EOI */
        if (!irq_device(id))
            irq_unexpected(id);
        gic_eoi(iar);
    }
}

/* PSTATE.I read as DAIF (bit 7), independently of asm/irqflags.h. */
bool arch_irqs_masked_hw(unsigned long *raw)
{
    uint64_t daif = read_sysreg(daif);

    *raw = (unsigned long)daif;
    return (daif >> 7) & 1;
}

const char *arch_irq_mask_bit(void) { return "DAIF.I"; }

/* The SGI/PPI pending bits of this CPU: GICD_ISPENDR0 is banked per CPU
 * on GICv2, GICR_ISPENDR0 in the redistributor's SGI frame on GICv3. */
#define GICD_ISPENDR0   0x200
#define GICR_ISPENDR0   0x0200

unsigned arch_irq_pending(unsigned *visible)
{
    volatile uint8_t *rd = gicr_of ? gicr_of[this_cpu()->cpu] : NULL;
    uint32_t p = 0;

    *visible = 0;
    if (gic_version == 3 && rd)
        p = readl(rd + GICR_SGI_BASE + GICR_ISPENDR0);
    else if (gic_version == 2)
        p = readl(gicd + GICD_ISPENDR0);
    else
        return 0;
    *visible = IRQ_SRC_TIMER | IRQ_SRC_IPI;
    return ((p >> INTID_VTIMER) & 1 ? IRQ_SRC_TIMER : 0) | ((p >> INTID_IPI) & 1 ? IRQ_SRC_IPI : 0);
}
