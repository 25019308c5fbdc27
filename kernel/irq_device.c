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

/* Called with interrupts off since before the arch enabled the line, so
 * an interrupt already pending finds its handler when they come back. */
static int claim_line(struct line *l, int id, irq_handler_t h, void *arg)
{
    if (id < 0) {
        l->handler = NULL;
        return id;
    }
    l->id = (unsigned)id;
    l->handler = h;
    l->arg = arg;
    return id;
}

int irq_request(const void *dtb, int ctrl, const uint32_t *spec, unsigned cells, irq_handler_t h,
                void *arg, char *why, size_t len)
{
    struct line *l = free_line(why, len);
    unsigned long flags;
    int id;

    if (!l)
        return -1;
    flags = local_irq_save();
    id = claim_line(l, arch_irq_enable_line(dtb, ctrl, spec, cells, why, len), h, arg);
    local_irq_restore(flags);
    return id;
}

int irq_request_msi(const void *dtb, int ctrl, irq_handler_t h, void *arg, uint64_t *addr,
                    uint32_t *data, char *why, size_t len)
{
    struct line *l = free_line(why, len);
    unsigned long flags;
    int id;

    if (!l)
        return -1;
    flags = local_irq_save();
    id = claim_line(l, arch_msi_alloc(dtb, ctrl, addr, data, why, len), h, arg);
    local_irq_restore(flags);
    return id;
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
