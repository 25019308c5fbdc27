/* The virtio devices the transports found (virtio-mmio slots with a
 * device in them, virtio-pci functions): each with its transport, type,
 * vendor and whether it is modern or legacy. One a transport found but
 * cannot use (a slot without the magic, a PCI function without its
 * capabilities) is a failure naming it; none at all a skip. */
#include "test.h"
#include "vtest.h"

TEST(virtio_devices, .name = "virtio/devices")
{
    struct virtio_dev *d;
    const char *problem;
    int n = 0, modern = 0;

    test_yaml("devices:");
    for (; (d = virtio_dev_at(n)); n++) {
        test_yaml("  - {name: \"%s\", transport: %s, type: %s, id: %u, vendor: 0x%08x, %s}",
                  d->name, d->t->name, virtio_id_name(d->device_id), (unsigned)d->device_id,
                  (unsigned)d->vendor_id, d->modern ? "modern: true" : "legacy: true");
        modern += d->modern;
    }
    for (int i = 0; (problem = virtio_problem_at(0, i)); i++)
        test_fail("%s", problem);
    if (!n && !test_failed())
        test_skip("no virtio device (QEMU: -device virtio-rng-device, or virtio-rng-pci ...)");
    else if (!test_failed())
        test_note("%d device(s), %d modern, %d legacy", n, modern, n - modern);
}
