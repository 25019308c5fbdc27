/* Device interrupt lines and their handlers (include/irq.h): the arch
 * configures and routes the line, this table maps the id its dispatcher
 * reports to the handler. */
#include "arch.h"
#include "irq.h"
#include <irqflags.h>
#include <stdio.h>

#define MAX_LINES 8

struct line {
    unsigned id;
    irq_handler_t handler;
    void *arg;
};

static struct line lines[MAX_LINES];

static struct line *free_line(char *why, size_t len)
{
    for (int i = 0; i < MAX_LINES; i++)
        if (!lines[i].handler)
            return &lines[i];
    snprintf(why, len, "more than %d device interrupts requested", MAX_LINES);
    return NULL;
}

/* A line (spec != NULL) or an MSI (addr, data) to enable. */
struct source {
    const void *dtb;
    int ctrl;
    const uint32_t *spec;
    unsigned cells;
    uint64_t *addr;
    uint32_t *data;
};

/* Interrupts stay off from before the arch enables the source until its
 * handler is in the table, so one already pending finds it. */
static int request(const struct source *src, irq_handler_t h, void *arg, char *why, size_t len)
{
    struct line *l = free_line(why, len);
    unsigned long flags;
    int id;

    if (!l)
        return -1;
    flags = local_irq_save();
    id = src->spec ? arch_irq_enable_line(src->dtb, src->ctrl, src->spec, src->cells, why, len)
                   : arch_msi_alloc(src->dtb, src->ctrl, src->addr, src->data, why, len);
    if (id >= 0)
        *l = (struct line){ .id = (unsigned)id, .handler = h, .arg = arg };
    local_irq_restore(flags);
    return id;
}

int irq_request(const void *dtb, int ctrl, const uint32_t *spec, unsigned cells, irq_handler_t h,
                void *arg, char *why, size_t len)
{
    struct source src = { .dtb = dtb, .ctrl = ctrl, .spec = spec, .cells = cells };
    return request(&src, h, arg, why, len);
}

int irq_request_msi(const void *dtb, int ctrl, irq_handler_t h, void *arg, uint64_t *addr,
                    uint32_t *data, char *why, size_t len)
{
    struct source src = { .dtb = dtb, .ctrl = ctrl, .addr = addr, .data = data };
    return request(&src, h, arg, why, len);
}

/* An arch whose controller has no MSI frame the image drives. */
__attribute__((weak)) int arch_msi_alloc(const void *dtb, int ctrl, uint64_t *addr,
                                         uint32_t *data, char *why, size_t len)
{
    (void)dtb;
    (void)ctrl;
    (void)addr;
    (void)data;
    snprintf(why, len, "no MSI support for %s here", arch_irq_controller());
    return -1;
}

void irq_release(irq_handler_t h, void *arg)
{
    unsigned long flags = local_irq_save();

    for (int i = 0; i < MAX_LINES; i++)
        if (lines[i].handler == h && lines[i].arg == arg) {
            arch_irq_disable_line(lines[i].id);
            lines[i].handler = NULL;
        }
    local_irq_restore(flags);
}

bool irq_device(unsigned id)
{
    for (int i = 0; i < MAX_LINES; i++)
        if (lines[i].handler && lines[i].id == id) {
            lines[i].handler(lines[i].arg);
            return true;
        }
    return false;
}
