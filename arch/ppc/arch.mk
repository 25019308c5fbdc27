# ppc build facts (DESIGN.md sections 6 and 7): one 32-bit big-endian image
# for e500mc, e5500 and e6500 (the 64-bit cores run it with MSR[CM] = 0).
# -mcpu=e500mc is the common subset: classic FPU, lwsync, isel, msgsnd,
# wait; no AltiVec, no 64-bit instructions. e500v1/v2 (SPE, no lwsync, no
# classic FPU) cannot run it.
CROSS_COMPILE ?= powerpc-linux-gnu-
NEWLIB_TARGET := powerpc-eabi
# -mlong-double-64 on both sides (newlib's printf and the image must agree);
# no small-data area (r13 stays free), no PIC/relocatable code in the image.
ARCH_CFLAGS := -mcpu=e500mc -m32 -mbig-endian -mlong-double-64 -msdata=none -G 0 \
    -mno-relocatable -fno-pic -mno-altivec -Wa,-mregnames \
    -DPPC_CCSR_PHYS=$(CCSR_PHYS)ULL -DPPC_CCSR_WINDOW=$(CCSR_WINDOW)ULL \
    -DPPC_TIMEBASE_HZ=$(TIMEBASE_HZ)ULL
NEWLIB_CFLAGS := -mcpu=e500mc -mlong-double-64
ARCH_LDFLAGS := -no-pie
ARCH_SRCS := head.S vectors.S cpu.c mmu.c irq.c cache.c
UIMG_ARCH := powerpc
