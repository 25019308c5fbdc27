# QEMU ppce500 (e500mc, e5500, e6500). Read by the Makefile (build facts)
# and by scripts/orderly-run (QEMU recipe), both through make itself
# (scripts/print.mk), so any make syntax means the same to both.

ARCH := ppc
DESCRIPTION := QEMU ppce500 (e500mc/e5500/e6500), direct -kernel boot of the 32-bit ELF (ePAPR: r3 = DTB)
# 64 KiB aligned (IVPR); also the uImage load/entry address for U-Boot.
LOAD_ADDR := 0x00100000
# Which build output QEMU loads: elf (QEMU refuses a raw binary). The
# uImage is built too, for BOOT=uboot (U-Boot's bootm).
BOOT_IMAGE := elf uimg
CONSOLE := ns16550
# VIRTUAL address: the image maps CCSR at 0xE000_0000 (the physical address
# with its top 4 bits dropped, the same window U-Boot uses) before the
# device tree is read.
CONSOLE_ADDR := 0xe0004500

# ---- board facts the device tree does not carry (or that are needed
# before it is read); DESIGN.md section 6 "ppc".
# CCSR physical base and the window mapped over it: 256 MiB covers CCSR
# (1 MiB), the PCI I/O window (0xF_E100_0000) and QEMU's ePAPR spin table
# (0xF_EF00_0000).
CCSR_PHYS := 0xfe0000000
CCSR_WINDOW := 0x10000000
# Timebase before /cpus is read (the DT's timebase-frequency wins).
TIMEBASE_HZ := 400000000

# ---- QEMU recipe: the runner substitutes KERNEL and BOOTARGS, and any
# KEY=VALUE given on its command line overrides the ?= defaults below.
# qemu-system-ppc64 for every e500 CPU: it runs multi-threaded TCG
# (qemu-system-ppc is round-robin). Always name the CPU: the default
# e500v2 has no classic FPU, lwsync, wait or msgsnd.
QEMU := qemu-system-ppc64
CPU ?= e5500
SMP ?= 4
MEM ?= 128M
QEMU_EXTRA ?=
# The devices the io/ and dev/ tests drive; DEVICES= runs without them (their
# tests then skip, naming what is missing) (RAM at 0 is inside edu's default 28-bit DMA reach).
DEVICES ?= -device edu
# The virtio devices the virtio/ tests drive, on virtio-pci, modern only
# (disable-legacy=on: the legacy interface is an I/O BAR, which the image
# does not use): a virtio-blk on a scratch image PREPARE makes (serial
# orderly-scratch, the only disk the tests write) and a virtio-rng, both
# on INTx. VIRTIO_DEVICES= runs without them (their tests skip, naming
# what is missing).
VIRTIO_DEVICES ?= -drive file=$(WORKDIR)/scratch.img,format=raw,if=none,id=scratch,cache=unsafe -device virtio-blk-pci,drive=scratch,serial=orderly-scratch,disable-legacy=on -device virtio-rng-pci,disable-legacy=on
PREPARE = truncate -s 1M $(WORKDIR)/scratch.img
# A passing run powers off through the GPIO (exit 0); a failing one writes
# to pvpanic-pci (exit 1 with -action panic=exit-failure).
EXIT_DEVICES = -device pvpanic-pci -action panic=exit-failure
# BOOT: direct (QEMU loads the ELF; r3 = DTB, spin table in QEMU), uboot
# (Debian's U-Boot bootm's the uImage after a 1 s countdown; it leaves
# protected TLB1 entries and PCI windows, the image replaces both).
BOOT ?= direct
BOOT_ARGS_direct = -kernel $(KERNEL)
BOOT_ARGS_uboot = -bios /usr/lib/u-boot/qemu-ppce500/uboot.elf -kernel $(KERNEL_DIR)/orderly.uimg
# ACCEL=tcg|kvm and TCG=multi|single, the same on every platform.
include scripts/qemu-accel.mk
QEMU_ARGS = $(ACCEL_ARGS_$(ACCEL)) -M ppce500 -cpu $(CPU_ARG_$(ACCEL)) -smp $(SMP) -m $(MEM) -nographic -monitor none -serial stdio -net none $(EXIT_DEVICES) $(BOOT_ARGS_$(BOOT)) $(DEVICES) $(VIRTIO_DEVICES) -append "$(strip $(BOOTARGS) $(TCG_BOOTARGS_$(TCG)) $(SUBSET_BOOTARGS_$(SUBSET)))" $(QEMU_EXTRA)

# The matrix `make check` runs: space-separated variants, each a
# comma-separated list of KEY=VALUE overrides ("default" = e5500, 4 CPUs).
# Every CPU with every SMP count (the 1-CPU runs take a fraction of a second);
# and every vCPU on one host thread (TCG=single), where only the spin
# loops' yield hints (or 1,1,1) hand the thread on; and e6500 with 24 CPUs
# (a T4240's thread count) on the every-CPU subset.
CHECK_VARIANTS := default TCG=single CPU=e6500,SMP=24,SUBSET=cpus CPU=e500mc,SMP=1 CPU=e5500,SMP=1 CPU=e6500,SMP=1 CPU=e500mc,SMP=2 CPU=e5500,SMP=2 CPU=e6500,SMP=2 CPU=e500mc,SMP=4 CPU=e6500,SMP=4 BOOT=uboot,CPU=e500mc,SMP=2

# ---- build facts without a device tree (used only when none is found)
RAM_BASE := 0x0
RAM_SIZE := 0x8000000
DRIVERS := ns16550 fsl_pci pvpanic_pci gpio_mpc8xxx gpio_poweroff edu fw_cfg virtio_pci virtio_blk
FAULT_REGS_PATTERN := ESR: 0x[0-9a-f]{8} \(IVOR13 data TLB error
# How smp/power-cycle-never-on-control fails here: the spin table lets no
# CPU be turned off at all (tests/controls.cfg, power-cycle-never-on).
POWER_CYCLE_CONTROL_PATTERN := cannot be turned off and on again: no re-entry: the ePAPR spin table
# Allowed litmus outcomes this platform must show within the budget (the
# sensitivity check, DESIGN.md section 5): QEMU TCG on an x86 host shows
# store buffering, so SB without barriers must be seen. Nothing weaker can
# be demanded here: wmb() is sync, and smp_wmb()/lwsync acts as a full
# barrier on e500 CPUs in QEMU 7.2 (DESIGN.md section 6 "ppc").
LITMUS_MUST_SEE := SB+onceonces,SB+poonceonces,SB+rfionceonce-poonceonces
# Litmus pacing (litmus.step / litmus.window bootargs override it): the
# step and window that measured best here on QEMU TCG, -smp 2 on a 2-core
# x86 host: 8/8 gives ~6-7 M runs/s with SB in ~18% of runs; 16/8 ~8 M runs/s,
# SB in ~2%; 4/4 ~5 M runs/s, SB in ~16%.
LITMUS_STEP := 8
LITMUS_WINDOW := 8
