/* QEMU's firmware configuration device ("qemu,fw-cfg-mmio", QEMU's
 * docs/specs/fw_cfg.rst): items selected by a 16-bit key, read through the
 * data register or by DMA. drivers/fw_cfg.c. */
#ifndef ORDERLY_FW_CFG_H
#define ORDERLY_FW_CFG_H

#include "compiler.h"

#define FW_CFG_SIGNATURE    0x0000      /* "QEMU" */
#define FW_CFG_ID           0x0001      /* feature bits: 1 traditional, 2 DMA */
#define FW_CFG_RAM_SIZE     0x0003
#define FW_CFG_NB_CPUS      0x0005
#define FW_CFG_FILE_DIR     0x0019
#define FW_CFG_ID_DMA       0x2

#define FW_CFG_ERR_ABSENT   (-1)        /* no fw_cfg node in the device tree */
#define FW_CFG_ERR_NOFILE   (-2)
#define FW_CFG_ERR_DMA      (-3)        /* the device set the error bit */
#define FW_CFG_ERR_TIMEOUT  (-4)
#define FW_CFG_ERR_NODMA    (-5)

bool fw_cfg_present(void);
bool fw_cfg_has_dma(void);
/* The first len bytes of item key (selector, then the data register, as
 * one step under the driver's lock). */
int fw_cfg_read(uint16_t key, void *buf, size_t len);
/* A file of the directory by name ("etc/boot-fail-wait"): its key, size. */
int fw_cfg_find_file(const char *name, uint16_t *key, uint32_t *size);
/* The n-th entry of the directory (for listing): 0 or FW_CFG_ERR_NOFILE. */
int fw_cfg_file_at(unsigned n, char name[56], uint16_t *key, uint32_t *size);
/* The first len bytes of item key by DMA (descriptor in RAM, big-endian
 * control, length and address; polled for completion, bounded). */
int fw_cfg_dma_read(uint16_t key, void *buf, uint32_t len);
/* From byte `skip` of the item (a SKIP transfer, then a READ). */
int fw_cfg_dma_read_at(uint16_t key, uint32_t skip, void *buf, uint32_t len);
/* Whether the streaming-DMA cache maintenance runs for fw_cfg transfers. */
bool fw_cfg_dma_needs_maintenance(void);

#endif
