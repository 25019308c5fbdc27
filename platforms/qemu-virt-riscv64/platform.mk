# QEMU virt, riscv64, S-mode under OpenSBI. Read by the Makefile (build
# facts) and by scripts/orderly-run (QEMU recipe), both through make itself
# (scripts/print.mk), so any make syntax means the same to both.

ARCH := riscv64
DESCRIPTION := QEMU virt (riscv64), S-mode under OpenSBI, direct -kernel boot of the RISC-V Image
LOAD_ADDR := 0x80200000
# Which build output QEMU loads: elf, bin (RISC-V Image) or uimg.
BOOT_IMAGE := bin
CONSOLE := ns16550
CONSOLE_ADDR := 0x10000000

# ---- QEMU recipe: the runner substitutes KERNEL and BOOTARGS, and any
# KEY=VALUE given on its command line overrides the ?= defaults below.
QEMU := qemu-system-riscv64
CPU ?= rv64
SMP ?= 4
MEM ?= 256M
QEMU_EXTRA ?=
# The devices the io/ and dev/ tests drive; DEVICES= runs without them (their
# tests then skip, naming what is missing) (RAM starts at 2 GiB: edu's default 28-bit DMA mask would clamp every address).
DEVICES ?= -device edu,dma_mask=0xffffffffff
# The virtio devices the virtio/ tests drive, on virtio-mmio: a virtio-blk
# on a scratch image PREPARE makes (serial orderly-scratch, the only disk
# the tests write; BOOT=uboot adds its read-only boot disk beside it) and
# a virtio-rng. VIRTIO_DEVICES= runs without them (their tests skip,
# naming what is missing); VIRTIO_LEGACY=off makes virtio-mmio modern
# (version 2; QEMU 7.2 defaults to legacy).
VIRTIO_LEGACY ?= on
VIRTIO_MMIO_on =
VIRTIO_MMIO_off = -global virtio-mmio.force-legacy=false
VIRTIO_DEVICES ?= -drive file=$(WORKDIR)/scratch.img,format=raw,if=none,id=scratch,cache=unsafe -device virtio-blk-device,drive=scratch,serial=orderly-scratch -device virtio-rng-device $(VIRTIO_MMIO_$(VIRTIO_LEGACY))
PREPARE_scratch = truncate -s 1M $(WORKDIR)/scratch.img
# SVPBMT=on gives the harts Svpbmt (-cpu rv64,svpbmt=on): devices are then
# mapped PBMT=IO; off, they are PMA-governed mappings.
SVPBMT ?= off
CPU_OPTS_on := ,svpbmt=on
CPU_OPTS_off :=
# BIOS: default (QEMU's bundled OpenSBI fw_dynamic), or Debian's own OpenSBI
# (package opensbi) as fw_dynamic or fw_jump. The boot hart is whichever
# hart wins OpenSBI's lottery; every one of them enters at 0x80200000 with
# a0 = hart id, a1 = DTB (fw_jump: a copy at 0x82200000).
BIOS ?= default
OPENSBI := /usr/lib/riscv64-linux-gnu/opensbi/generic
BIOS_ARGS_default =
BIOS_ARGS_fw_dynamic = -bios $(OPENSBI)/fw_dynamic.bin
BIOS_ARGS_fw_jump = -bios $(OPENSBI)/fw_jump.bin
# BOOT: direct (QEMU loads the Image at 0x80200000 for OpenSBI to jump to),
# or uboot (OpenSBI runs Debian's S-mode U-Boot, which finds extlinux.conf
# on a virtio disk made by PREPARE and booti's the Image: the check that
# the Linux RISC-V Image header is right; about 2 s of autoboot countdown).
BOOT ?= direct
BOOT_ARGS_direct = -kernel $(KERNEL)
UBOOT := /usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
BOOT_ARGS_uboot = -kernel $(UBOOT) -drive file=fat:$(WORKDIR)/boot,format=raw,if=none,id=d0,readonly=on -device virtio-blk-device,drive=d0
PREPARE_direct =
PREPARE_uboot = mkdir -p $(WORKDIR)/boot/extlinux && cp $(KERNEL) $(WORKDIR)/boot/orderly.bin && printf 'default orderly\ntimeout 0\nlabel orderly\n    kernel /orderly.bin\n    append %s\n' "$(BOOTARGS)" > $(WORKDIR)/boot/extlinux/extlinux.conf
PREPARE = $(PREPARE_scratch)$(if $(PREPARE_$(BOOT)), && $(PREPARE_$(BOOT)))
# ACCEL=tcg|kvm and TCG=multi|single, the same on every platform.
include scripts/qemu-accel.mk
QEMU_ARGS = $(ACCEL_ARGS_$(ACCEL)) -M virt -cpu $(CPU_ARG_$(ACCEL))$(CPU_OPTS_$(SVPBMT)) -smp $(SMP) -m $(MEM) -nographic -monitor none -serial stdio -nic none $(BIOS_ARGS_$(BIOS)) $(BOOT_ARGS_$(BOOT)) $(DEVICES) $(VIRTIO_DEVICES) -append "$(strip $(BOOTARGS) $(TCG_BOOTARGS_$(TCG)) $(SUBSET_BOOTARGS_$(SUBSET)))" $(QEMU_EXTRA)

# The matrix `make check` runs: space-separated variants, each a
# comma-separated list of KEY=VALUE overrides ("default" = none). Every SMP
# count (1, 2, 4, 8) with every BIOS, Svpbmt alternating so that each SMP
# count and each BIOS runs with it on and off; and U-Boot's booti. Modern
# virtio-mmio rides on one -smp 2 run (the rest are legacy). TCG=single
# runs SUBSET=spin: QEMU 7.2 ends only the translation block on `pause`,
# so a spinning hart keeps the one host thread until its 100 ms
# round-robin kick, and the whole run takes ~100 s (README, TCG=single).
CHECK_VARIANTS := SMP=1 SMP=64,SUBSET=cpus TCG=single,SUBSET=spin SMP=1,BIOS=fw_dynamic,SVPBMT=on SMP=1,BIOS=fw_jump SMP=2,SVPBMT=on SMP=2,BIOS=fw_dynamic,VIRTIO_LEGACY=off SMP=2,BIOS=fw_jump,SVPBMT=on default SMP=4,BIOS=fw_dynamic,SVPBMT=on SMP=4,BIOS=fw_jump SMP=8,SVPBMT=on SMP=8,BIOS=fw_dynamic SMP=8,BIOS=fw_jump,SVPBMT=on BOOT=uboot,SMP=2

# ---- build facts without a device tree (used only when none is found;
# a1 always carries the DTB here, so there is no DTB_FALLBACK)
RAM_BASE := 0x80000000
RAM_SIZE := 0x8000000
DRIVERS := ns16550 sifive_test pci_ecam fw_cfg edu virtio_mmio virtio_blk
FAULT_REGS_PATTERN := scause: 0x0*d \(load page fault\)
# How smp/power-cycle-never-on-control fails here (tests/controls.cfg).
POWER_CYCLE_CONTROL_PATTERN := cycle 1: cpu 1 \(hwid 0x[0-9a-f]+\) did not come back online within 500 ms
# Allowed litmus outcomes this platform must show within the budget (the
# sensitivity check, DESIGN.md section 5): QEMU TCG on an x86 host shows
# store buffering, so SB without barriers must be seen. QEMU turns every
# FENCE into a full barrier, so unlike arm64 no too-weak fence can show SB
# here: only the missing one.
LITMUS_MUST_SEE := SB+onceonces,SB+poonceonces,SB+rfionceonce-poonceonces
# Litmus pacing (litmus.step / litmus.window bootargs override it): the
# step and window that measured best here on QEMU TCG, -smp 2 on a 2-core
# x86 host: 8/8 gives ~10 M runs/s with SB in ~80% of runs; 16/8 ~17 M runs/s,
# SB in ~12%; 4/4 ~10 M runs/s, SB in ~45%.
LITMUS_STEP := 8
LITMUS_WINDOW := 8
