/* Read-only access to a flattened device tree (DTB), version 16/17.
 *
 * Host-buildable: no allocation, no libc beyond string.h, no globals.
 * Every function validates what it reads against the blob's bounds, so a
 * corrupt DTB gives an error code or a NULL, never a wild read.
 * Node handles are byte offsets of FDT_BEGIN_NODE tokens within the
 * structure block, as in libfdt (so they can be compared with it).
 * The prefix dt_ keeps these apart from libfdt's names, which the host
 * differential test links beside them.
 */
#ifndef ORDERLY_FDT_H
#define ORDERLY_FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DT_ERR_NOTFOUND  (-1)  /* no such node / property / index */
#define DT_ERR_BADBLOB   (-2)  /* header or structure block is malformed */
#define DT_ERR_BADVALUE  (-3)  /* property exists but has the wrong length */

/* Validate the header (magic, version >= 16 with last_comp_version <= 17,
 * block offsets and sizes inside totalsize, totalsize <= maxlen, a
 * terminated reservation map) and walk the whole structure block once
 * (names and values inside their blocks, one root, properties before
 * subnodes, balanced nodes, an END token; a node name other than the
 * root's must be non-empty and free of '/' and ':', so every node has a
 * path). Returns 0 when usable; otherwise DT_ERR_BADBLOB with *why (if
 * non-NULL) set to a static string naming the first problem found.
 * The other calls have no length to check against: use them on a blob
 * that passed dt_check (on others they stay inside the blocks its header
 * claims, and find nothing when those do not fit in totalsize). */
int dt_check(const void *dt, size_t maxlen, const char **why);

uint32_t dt_totalsize(const void *dt);

/* Tree walking. Each returns a node offset >= 0 or DT_ERR_NOTFOUND. */
int dt_root(const void *dt);
int dt_first_child(const void *dt, int node);
int dt_next_sibling(const void *dt, int node);
int dt_parent(const void *dt, int node);
/* Depth-first successor of node (children first), or DT_ERR_NOTFOUND. */
int dt_next_node(const void *dt, int node);

/* Full unit name, e.g. "cpu@1"; the root is "". */
const char *dt_name(const void *dt, int node);

/* Absolute path ("/cpus/cpu@0"). In each component an exact name wins;
 * otherwise a component without "@unit" matches a "component@..." node
 * only when exactly one child has that name ("/cpus/cpu" is ambiguous and
 * not found, where libfdt would take the first). A path not starting
 * with '/' begins with an alias from /aliases ("serial0", "i2c/rtc@68"),
 * whose value may itself start with an alias (4 levels at most, so a loop
 * ends). A ':' ends the path, as in stdout-path "serial0:115200n8". */
int dt_path(const void *dt, const char *path);

/* Properties. dt_prop returns a pointer into the blob and the length. */
const void *dt_prop(const void *dt, int node, const char *name, int *len);
bool dt_has_prop(const void *dt, int node, const char *name);
/* Iterate the properties of a node: idx from 0; returns 0 and fills name,
 * value and len, or DT_ERR_NOTFOUND past the last (DT_ERR_BADBLOB for a
 * name outside the strings block, possible only on an unchecked blob). */
int dt_prop_at(const void *dt, int node, int idx, const char **name,
               const void **value, int *len);
int dt_prop_u32(const void *dt, int node, const char *name, uint32_t *out);
/* A 1- or 2-cell big-endian number (length 4 or 8). */
int dt_prop_u64(const void *dt, int node, const char *name, uint64_t *out);
/* NUL-terminated string property (the first string of a list). */
const char *dt_prop_str(const void *dt, int node, const char *name);
/* true when the string list property `name` contains `str`. */
bool dt_prop_has_str(const void *dt, int node, const char *name, const char *str);

bool dt_is_compatible(const void *dt, int node, const char *compat);
/* Next node after `from` (depth-first; from = -1 starts at the root)
 * whose compatible list contains compat. */
int dt_find_compatible(const void *dt, int from, const char *compat);
int dt_find_phandle(const void *dt, uint32_t phandle);
/* "okay"/"ok" or no status property (a status that is not a string is
 * unavailable). */
bool dt_is_available(const void *dt, int node);

/* #address-cells / #size-cells of node (for its children): defaults 2 / 1. */
uint32_t dt_addr_cells(const void *dt, int node);
uint32_t dt_size_cells(const void *dt, int node);

/* Read cells (1 or 2, big-endian) at p; cells > 2 keeps the low 64 bits. */
uint64_t dt_read_cells(const void *p, uint32_t cells);

/* The idx-th entry of node's "reg", as a CPU physical address: decoded with
 * the parent's #address-cells/#size-cells and translated up through every
 * ancestor's "ranges" (an empty ranges is identity; a missing ranges on a
 * non-root ancestor means "not translatable", e.g. a cpu's reg under
 * /cpus or a device on an i2c bus). Returns 0, DT_ERR_NOTFOUND past the
 * last entry or when there is no reg, DT_ERR_BADVALUE for a reg whose
 * length is not a multiple of the entry size, whose cells are not 1..3
 * (address) and 0..2 (size), or which cannot be translated.
 * PCI (#address-cells = 3): ranges match on the low two cells; the space
 * code in the high cell must agree (I/O with I/O, 32- and 64-bit memory
 * with either), and a config-space reg has no CPU address. */
int dt_reg(const void *dt, int node, int idx, uint64_t *addr, uint64_t *size);

/* Number of complete reg entries (0 when absent or malformed). */
int dt_reg_count(const void *dt, int node);

/* Translate a child-bus address of `node`'s children up to a CPU physical
 * address, through node and its ancestors. Returns 0 or DT_ERR_BADVALUE.
 * A bare address carries no PCI space code: on a PCI bus the first range
 * that holds it wins. */
int dt_translate(const void *dt, int node, uint64_t addr, uint64_t *out);

/* One entry of a PCI host bridge's "ranges": child address 3 cells
 * (phys.hi with the space code, then the 64-bit PCI address), parent
 * address with the parent's #address-cells, size 2 cells; the parent
 * address translated up to a CPU physical address (dt_translate). */
struct dt_pci_range {
    uint32_t space;        /* phys.hi bits 24-25: 0 config, 1 I/O, 2 32-bit memory, 3 64-bit memory */
    bool prefetchable;     /* phys.hi bit 30 */
    uint64_t pci_addr, cpu_addr, size;
};
/* The idx-th complete entry of node's "ranges". Returns 0; DT_ERR_NOTFOUND
 * past the last complete entry or without "ranges"; DT_ERR_BADVALUE when
 * this entry's parent address cannot be translated (the caller may go on
 * with idx + 1). Trailing bytes that do not make a whole entry are ignored. */
int dt_pci_range(const void *dt, int node, int idx, struct dt_pci_range *out);

/* One step of interrupt-map (the ePAPR "interrupt nexus", e.g. a PCI host
 * bridge): the child unit address (`addr`, naddr cells, host order) and
 * interrupt specifier (`irq`, nirq cells) are masked by interrupt-map-mask
 * and looked up; naddr and nirq must be the nexus's #address-cells and
 * #interrupt-cells (else DT_ERR_BADVALUE: the caller's arrays do not
 * describe this tree's entries). Out: the parent controller's node and its
 * specifier (its #interrupt-cells, at most DT_MAX_IRQ_CELLS). Returns 0;
 * DT_ERR_NOTFOUND without a map or a matching entry; DT_ERR_BADVALUE for a
 * map whose entries cannot be decoded (a phandle that names no node, cells
 * beyond the limits). */
#define DT_MAX_IRQ_CELLS 4
struct dt_irq {
    int parent;                             /* the controller's node */
    uint32_t cells;
    uint32_t spec[DT_MAX_IRQ_CELLS];
};
int dt_interrupt_map(const void *dt, int node, const uint32_t *addr, uint32_t naddr,
                     const uint32_t *irq, uint32_t nirq, struct dt_irq *out);

/* The idx-th interrupt of node itself: from "interrupts-extended"
 * (each entry a controller's phandle, then its #interrupt-cells cells),
 * else from "interrupts" with the controller that "interrupt-parent"
 * names on the node or its nearest ancestor that has one. Out as for
 * dt_interrupt_map (the controller may itself be a nexus; this does not
 * follow its interrupt-map). Returns 0; DT_ERR_NOTFOUND without either
 * property, past the last entry, or without an interrupt-parent;
 * DT_ERR_BADVALUE for a phandle that names no node, a controller whose
 * #interrupt-cells is missing, 0 or above DT_MAX_IRQ_CELLS, or a length
 * that is not a whole number of entries. */
int dt_irq_of(const void *dt, int node, int idx, struct dt_irq *out);

/* /memory nodes (device_type = "memory", available): the idx-th bank
 * across all of them, in tree order. */
int dt_memory_bank(const void *dt, int idx, uint64_t *addr, uint64_t *size);

#endif
