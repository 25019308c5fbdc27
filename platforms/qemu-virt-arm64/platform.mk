# QEMU virt, arm64. Read by the Makefile (build facts) and by
# scripts/orderly-run (QEMU recipe), both through make itself
# (scripts/print.mk), so any make syntax means the same to both.

ARCH := arm64
DESCRIPTION := QEMU virt (arm64), direct -kernel boot of the arm64 Image
LOAD_ADDR := 0x40200000
# Which build output QEMU loads: elf, bin (arm64 Image) or uimg.
BOOT_IMAGE := bin
CONSOLE := pl011
CONSOLE_ADDR := 0x09000000

# ---- QEMU recipe: the runner substitutes KERNEL and BOOTARGS, and any
# KEY=VALUE given on its command line overrides the ?= defaults below.
QEMU := qemu-system-aarch64
CPU ?= max
SMP ?= 4
GIC ?= 2
VIRT ?= off
MEM ?= 256M
SECURE ?= off
QEMU_EXTRA ?=
# The devices the io/ and dev/ tests drive; DEVICES= runs without them (their
# tests then skip, naming what is missing) (RAM starts at 1 GiB: edu's default 28-bit DMA mask would clamp every address).
DEVICES ?= -device edu,dma_mask=0xffffffffff
# The virtio devices the virtio/ tests drive, on virtio-mmio: a virtio-blk
# on a scratch image PREPARE makes (serial orderly-scratch, the only disk
# the tests write) and a virtio-rng. VIRTIO_DEVICES= runs without them
# (their tests skip, naming what is missing); VIRTIO_LEGACY=off makes
# virtio-mmio modern (version 2; QEMU 7.2 defaults to legacy).
VIRTIO_LEGACY ?= on
VIRTIO_MMIO_on =
VIRTIO_MMIO_off = -global virtio-mmio.force-legacy=false
VIRTIO_DEVICES ?= -drive file=$(WORKDIR)/scratch.img,format=raw,if=none,id=scratch,cache=unsafe -device virtio-blk-device,drive=scratch,serial=orderly-scratch -device virtio-rng-device $(VIRTIO_MMIO_$(VIRTIO_LEGACY))
PREPARE = truncate -s 1M $(WORKDIR)/scratch.img
# BOOT: direct (the Image, x0 = DTB), uboot (Debian's U-Boot booti's the
# Image from fw_cfg), elf (the ELF: x0 = 0, the DTB is found at the
# fallback address; with SECURE=on every core starts at once at EL3).
BOOT ?= direct
BOOT_ARGS_direct = -kernel $(KERNEL)
BOOT_ARGS_uboot = -bios /usr/lib/u-boot/qemu_arm64/u-boot.bin -kernel $(KERNEL)
BOOT_ARGS_elf = -kernel $(KERNEL_DIR)/orderly.elf
# ACCEL=tcg|kvm and TCG=multi|single, the same on every platform.
include scripts/qemu-accel.mk
QEMU_ARGS = $(ACCEL_ARGS_$(ACCEL)) -M virt,gic-version=$(GIC),virtualization=$(VIRT),secure=$(SECURE) -cpu $(CPU_ARG_$(ACCEL)) -smp $(SMP) -m $(MEM) -nographic -monitor none -serial stdio -nic none -semihosting $(BOOT_ARGS_$(BOOT)) $(DEVICES) $(VIRTIO_DEVICES) -append "$(strip $(BOOTARGS) $(TCG_BOOTARGS_$(TCG)) $(SUBSET_BOOTARGS_$(SUBSET)))" $(QEMU_EXTRA)

# The matrix `make check` runs: space-separated variants, each a
# comma-separated list of KEY=VALUE overrides ("default" = none). Modern
# virtio-mmio rides on the GICv3 run (the rest are legacy). TCG=single: every
# vCPU on one host thread, where only the spin loops' yield hands it on.
CHECK_VARIANTS := default TCG=single GIC=3,SMP=64,SUBSET=cpus CPU=cortex-a57,SMP=1 CPU=cortex-a72,SMP=2 SMP=8 GIC=3,VIRTIO_LEGACY=off GIC=3,VIRT=on,CPU=cortex-a72 VIRT=on BOOT=uboot,SMP=2 BOOT=elf BOOT=elf,SECURE=on,CPU=cortex-a57

# ---- build facts without a device tree (used only when none is found)
RAM_BASE := 0x40000000
RAM_SIZE := 0x8000000
# An ELF entry gets x0 = 0; QEMU then puts the DTB at the start of RAM
# when it fits below the image (it does at LOAD_ADDR 0x40200000).
DTB_FALLBACK := 0x40000000
DRIVERS := pl011 pci_ecam fw_cfg edu virtio_mmio virtio_blk
FAULT_REGS_PATTERN := ESR: 0x[0-9a-f]+ \(EC 0x25\)
# How smp/power-cycle-never-on-control fails here (tests/controls.cfg).
POWER_CYCLE_CONTROL_PATTERN := cycle 1: cpu 1 \(hwid 0x[0-9a-f]+\) did not come back online within 500 ms
# Allowed litmus outcomes this platform must show within the budget (the
# sensitivity check, DESIGN.md section 5): QEMU TCG on an x86 host shows
# store buffering, so SB without barriers must be seen; on arm64 wmb() and
# smp_wmb() (dsb st / dmb ishst) do not order a store before a load, so SB
# with them must be seen too: the proof that a too-weak barrier is caught.
LITMUS_MUST_SEE := SB+onceonces,SB+poonceonces,SB+rfionceonce-poonceonces,SB+wmbonceonces,SB+fencewmbonceonces
# Litmus pacing (litmus.step / litmus.window bootargs override it): the
# step and window that measured best here on QEMU TCG, -smp 2 on a 2-core
# x86 host: 16/8 gives ~13 M runs/s with SB in ~15% of runs; 8/8 ~10 M runs/s, SB
# in ~25%; 4/4 ~8.5 M runs/s, SB in ~85%.
LITMUS_STEP := 16
LITMUS_WINDOW := 8
