/* The live translation tables give RAM and every device range from the
 * device tree the attributes the image meant to map them with. */
#include "arch.h"
#include "memmap.h"
#include "percpu.h"
#include "test.h"
#include <string.h>

extern char _start[];

/* pa: a physical address from the DT (RAM is identity-mapped on every arch). */
static bool check_one(uint64_t pa, enum mem_type type, const char *what, bool log)
{
    struct mem_attr a;
    char why[96];

    arch_mmu_query(arch_phys_to_virt(pa), &a);
    bool ok = arch_mem_attr_ok(&a, type, why, sizeof(why));
    if (log)
        test_yaml("  - '0x%llx %s: %s'", (unsigned long long)pa, what, a.desc);
    return check(ok, "0x%llx (%s): %s [%s]", (unsigned long long)pa, what, why, a.desc);
}

TEST(mmu_attributes, .name = "mmu/attributes")
{
    int checked = 0;
    static uint64_t stack_probe;

    test_yaml("mappings:");
    for (int i = 0; i < nr_ram_ranges; i++) {
        const struct mem_range *r = &ram_ranges[i];
        check_one(r->base, MEM_NORMAL, "RAM start", true);
        check_one(r->base + r->size / 2, MEM_NORMAL, "RAM middle", false);
        check_one(r->base + r->size - 1, MEM_NORMAL, "RAM end", false);
        checked += 3;
    }
    check_one((uintptr_t)_start, MEM_NORMAL, "image text", false);
    check_one((uintptr_t)&stack_probe, MEM_NORMAL, "image data", false);
    checked += 2;
    for (int i = 0; i < nr_dev_ranges; i++) {
        const struct mem_range *r = &dev_ranges[i];
        /* Log the first range of each kind of node (32 virtio slots are one line). */
        bool first = i == 0 || strcspn(r->name, "@") != strcspn(dev_ranges[i - 1].name, "@") ||
                     strncmp(r->name, dev_ranges[i - 1].name, strcspn(r->name, "@"));
        check_one(r->base, MEM_DEVICE, r->name, first);
        check_one(r->base + r->size - 1, MEM_DEVICE, r->name, false);
        checked += 2;
    }
    if (arch_mem_attr_caveat())
        test_yaml("caveat: '%s'", arch_mem_attr_caveat());
    check(nr_dev_ranges > 0, "no device range was mapped from the device tree");
    test_note("%d addresses in %d RAM and %d device ranges", checked, nr_ram_ranges, nr_dev_ranges);
}

/* Negative control: the checker must reject RAM attributes for a device
 * range, device attributes for RAM, and an address nothing maps. */
TEST(mmu_attributes_negative, .name = "mmu/attributes-negative")
{
    struct mem_attr a;
    char why[96];

    arch_mmu_query(arch_phys_to_virt(ram_ranges[0].base), &a);
    check(!arch_mem_attr_ok(&a, MEM_DEVICE, why, sizeof(why)),
          "RAM's attributes were accepted as device attributes (%s)", a.desc);
    if (nr_dev_ranges) {
        arch_mmu_query(arch_phys_to_virt(dev_ranges[0].base), &a);
        check(!arch_mem_attr_ok(&a, MEM_NORMAL, why, sizeof(why)),
              "device attributes were accepted as RAM attributes (%s)", a.desc);
    }
    arch_mmu_query(arch_unmapped_addr(), &a);
    check(!a.mapped && !arch_mem_attr_ok(&a, MEM_NORMAL, why, sizeof(why)),
          "an unmapped address was reported mapped (%s)", a.desc);
    test_note("the checker rejects wrong attributes");
}

static volatile int *cpu_ok;       /* per CPU */

static void query_on_cpu(int idx, void *arg)
{
    struct mem_attr a;
    char why[96];
    bool ok;

    arch_mmu_query(arch_phys_to_virt(ram_ranges[0].base), &a);
    ok = arch_mem_attr_ok(&a, MEM_NORMAL, why, sizeof(why));
    if (nr_dev_ranges) {
        arch_mmu_query(arch_phys_to_virt(dev_ranges[0].base), &a);
        ok = ok && arch_mem_attr_ok(&a, MEM_DEVICE, why, sizeof(why));
    }
    cpu_ok[idx] = ok ? 1 : -1;
}

/* Every CPU translates through the same tables with the MMU on. */
TEST(mmu_every_cpu, .name = "mmu/every-cpu")
{
    int n = num_online_cpus();

    PERCPU_TABLE(cpu_ok);
    for (int i = 0; i < n; i++)
        cpu_ok[i] = 0;
    if (on_cpus(n, query_on_cpu, NULL, 2000))
        return;
    for (int i = 0; i < n; i++)
        check(cpu_ok[i] == 1, "cpu %d: RAM or device attributes wrong in its translation", on_cpus_cpu(i));
    test_note("%d cpus", n);
}
