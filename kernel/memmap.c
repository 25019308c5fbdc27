/* Identity map from the device tree: every /memory bank as normal memory,
 * every device node's reg (and every PCI host window) as device memory.
 * The ranges are kept for the memory-attribute self-test. */
#include "arch.h"
#include "console.h"
#include "fdt.h"
#include "memmap.h"
#include <string.h>

struct mem_range ram_ranges[MAX_RAM_RANGES];
struct mem_range dev_ranges[MAX_DEV_RANGES];
int nr_ram_ranges, nr_dev_ranges;

static bool overlaps_ram(uint64_t base, uint64_t size)
{
    for (int i = 0; i < nr_ram_ranges; i++)
        if (base < ram_ranges[i].base + ram_ranges[i].size && ram_ranges[i].base < base + size)
            return true;
    return false;
}

static void add_range(struct mem_range *tab, int *n, int max, uint64_t base, uint64_t size,
                      const char *name)
{
    if (*n < max) {
        tab[*n].base = base;
        tab[*n].size = size;
        tab[*n].name = name;
        (*n)++;
    }
}

static void map_ram(const void *dtb)
{
    uint64_t base, size;

    for (int i = 0; dtb && dt_memory_bank(dtb, i, &base, &size) == 0; i++) {
        if (!size)
            continue;
        if (arch_mmu_map(base, size, MEM_NORMAL) == 0)
            add_range(ram_ranges, &nr_ram_ranges, MAX_RAM_RANGES, base, size, "memory");
    }
    if (nr_ram_ranges == 0) {
        if (dtb)
            pr_warn("dt: no usable /memory node; using the platform default RAM 0x%llx+0x%llx\n",
                    (unsigned long long)PLATFORM_RAM_BASE, (unsigned long long)PLATFORM_RAM_SIZE);
        arch_mmu_map(PLATFORM_RAM_BASE, PLATFORM_RAM_SIZE, MEM_NORMAL);
        add_range(ram_ranges, &nr_ram_ranges, MAX_RAM_RANGES, PLATFORM_RAM_BASE,
                  PLATFORM_RAM_SIZE, "memory (default)");
    }
}

int memmap_add_device(uint64_t base, uint64_t size, const char *name)
{
    if (!size)
        return 0;
    if (overlaps_ram(base, size)) {
        pr_warn("dt: %s at 0x%llx+0x%llx overlaps RAM; left as normal memory\n", name,
                (unsigned long long)base, (unsigned long long)size);
        return -1;
    }
    if (arch_mmu_map(base, size, MEM_DEVICE) != 0)
        return -1;
    add_range(dev_ranges, &nr_dev_ranges, MAX_DEV_RANGES, base, size, name);
    return 0;
}

bool memmap_covers_device(uint64_t base, uint64_t size)
{
    for (int i = 0; i < nr_dev_ranges; i++)
        if (base >= dev_ranges[i].base && base + size <= dev_ranges[i].base + dev_ranges[i].size)
            return true;
    return false;
}

/* Subtrees whose reg is not an MMIO range. */
static bool skip_subtree(const void *dtb, int node)
{
    const char *name = dt_name(dtb, node);
    const char *type = dt_prop_str(dtb, node, "device_type");

    return !strcmp(name, "cpus") || !strncmp(name, "memory", 6) ||
           !strcmp(name, "reserved-memory") || !strcmp(name, "chosen") ||
           !strcmp(name, "aliases") || (type && !strcmp(type, "memory"));
}

/* Every window of a PCI host's "ranges" (lib/fdt.c decodes them). */
static void map_pci_windows(const void *dtb, int node)
{
    struct dt_pci_range r;
    int rc;

    for (int i = 0; (rc = dt_pci_range(dtb, node, i, &r)) != DT_ERR_NOTFOUND; i++)
        if (rc == 0)
            memmap_add_device(r.cpu_addr, r.size, "pci-window");
}

/* A bus without "ranges" (i2c, spi, mdio) is not in the CPU's address space. */
static bool cpu_addressable(const void *dtb, int node)
{
    int bus = dt_parent(dtb, node);
    return bus == dt_root(dtb) || (bus >= 0 && dt_has_prop(dtb, bus, "ranges"));
}

static void map_node(const void *dtb, int node)
{
    int len, count;
    uint64_t base, size;

    if (!dt_prop(dtb, node, "reg", &len))
        return;
    if (dt_size_cells(dtb, dt_parent(dtb, node)) == 0 || !cpu_addressable(dtb, node))
        return;                     /* reg is an id (cpu, bus unit), not MMIO */
    if (!dt_is_available(dtb, node))
        return;
    count = dt_reg_count(dtb, node);
    if (count == 0) {
        pr_warn("dt: %s: reg of %d bytes does not fit #address-cells/#size-cells; ignored\n",
                dt_name(dtb, node), len);
        return;
    }
    for (int i = 0; i < count; i++)
        if (dt_reg(dtb, node, i, &base, &size) == 0)
            memmap_add_device(base, size, dt_name(dtb, node));
}

static void map_subtree(const void *dtb, int parent)
{
    for (int node = dt_first_child(dtb, parent); node >= 0; node = dt_next_sibling(dtb, node)) {
        if (skip_subtree(dtb, node))
            continue;
        map_node(dtb, node);
        const char *type = dt_prop_str(dtb, node, "device_type");
        if (type && !strcmp(type, "pci"))
            map_pci_windows(dtb, node);
        map_subtree(dtb, node);
    }
}

void memmap_init(const void *dtb)
{
    map_ram(dtb);
    if (dtb)
        map_subtree(dtb, dt_root(dtb));
    /* the device tree mapped no console: map the one in use */
    if (console_is_default() && !memmap_covers_device(PLATFORM_CONSOLE_ADDR, 1))
        memmap_add_device(PLATFORM_CONSOLE_ADDR & ~0xfffUL, 0x1000, "console (default)");
}
