/* libFuzzer target: the FDT reader (lib/fdt.c). Any input goes through
 * dt_check; a blob it accepts is then walked with every reader, which must
 * stay inside it (ASan) whatever the tree says. The input's last bytes also
 * give a path and an alias to look up. */
#include "fdt.h"
#include <stdlib.h>
#include <string.h>

static void walk_node(const void *dt, int node)
{
    const char *name;
    const void *val;
    uint64_t a, s;
    uint32_t u, cells[3] = { 0, 0, 0 }, pin = 1;
    struct dt_pci_range r;
    struct dt_irq irq;
    int len;

    (void)dt_name(dt, node);
    (void)dt_parent(dt, node);
    (void)dt_first_child(dt, node);
    (void)dt_next_sibling(dt, node);
    for (int i = 0; dt_prop_at(dt, node, i, &name, &val, &len) == 0 && i < 64; i++)
        (void)dt_prop(dt, node, name, &len);
    (void)dt_prop_u32(dt, node, "reg", &u);
    (void)dt_prop_u64(dt, node, "reg", &a);
    (void)dt_prop_str(dt, node, "compatible");
    (void)dt_prop_has_str(dt, node, "compatible", "pci-host-ecam-generic");
    (void)dt_is_compatible(dt, node, "ns16550a");
    (void)dt_is_available(dt, node);
    (void)dt_addr_cells(dt, node);
    (void)dt_size_cells(dt, node);
    for (int i = 0; i < 4; i++) {
        (void)dt_reg(dt, node, i, &a, &s);
        (void)dt_pci_range(dt, node, i, &r);
    }
    (void)dt_reg_count(dt, node);
    (void)dt_translate(dt, node, 0x1000, &a);
    for (cells[0] = 0; cells[0] < 0x2000; cells[0] += 0x800)
        (void)dt_interrupt_map(dt, node, cells, 3, &pin, 1, &irq);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the reader wants the blob 8-byte aligned, as a loader places it */
    void *dt = aligned_alloc(8, (size + 15) & ~(size_t)7);
    char path[64];
    uint64_t a, s;
    const char *why;

    if (!dt)
        return 0;
    memcpy(dt, data, size);
    if (dt_check(dt, size, &why) == 0) {
        (void)dt_totalsize(dt);
        int n = 0;
        for (int node = dt_root(dt); node >= 0 && n < 4096; node = dt_next_node(dt, node), n++)
            walk_node(dt, node);
        size_t plen = size < sizeof(path) - 1 ? size : sizeof(path) - 1;
        memcpy(path, data + size - plen, plen);
        path[plen] = 0;
        (void)dt_path(dt, path);
        (void)dt_path(dt, "serial0:115200n8");
        (void)dt_path(dt, "/cpus/cpu@0");
        for (int i = 0; i < 4; i++)
            (void)dt_memory_bank(dt, i, &a, &s);
        (void)dt_find_compatible(dt, -1, "arm,gic-v3");
        for (uint32_t ph = 0; ph < 8; ph++)
            (void)dt_find_phandle(dt, ph);
    }
    free(dt);
    return 0;
}
