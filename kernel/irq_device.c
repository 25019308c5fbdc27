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

int irq_request(const void *dtb, int ctrl, const uint32_t *spec, unsigned cells, irq_handler_t h,
                void *arg, char *why, size_t len)
{
    struct line *free_slot = NULL;
    unsigned long flags;
    int id;

    for (int i = 0; i < MAX_LINES && !free_slot; i++)
        if (!lines[i].handler)
            free_slot = &lines[i];
    if (!free_slot) {
        snprintf(why, len, "more than %d device interrupts requested", MAX_LINES);
        return -1;
    }
    flags = local_irq_save();
    free_slot->handler = h;
    free_slot->arg = arg;
    id = arch_irq_enable_line(dtb, ctrl, spec, cells, why, len);
    if (id < 0)
        free_slot->handler = NULL;
    else
        free_slot->id = (unsigned)id;
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
