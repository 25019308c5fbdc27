# riscv64 build facts (DESIGN.md sections 6 and 7). GCC 12 with binutils
# 2.40 wants zicsr/zifencei spelled out under the 2.20191213 ISA spec, but
# rv64imac_zicsr_zifencei selects the default (rv64gc) libgcc multilib:
# ISA spec 2.2 keeps csr/fence.i in the base and picks rv64imac/lp64,
# which newlib is built for too.
CROSS_COMPILE ?= riscv64-unknown-elf-
NEWLIB_TARGET := riscv64-unknown-elf
RISCV_ISA_FLAGS := -misa-spec=2.2 -march=rv64imac -mabi=lp64 -mcmodel=medany
ARCH_CFLAGS := $(RISCV_ISA_FLAGS) -mstrict-align
NEWLIB_CFLAGS := $(RISCV_ISA_FLAGS) -mstrict-align
ARCH_LDFLAGS := -no-pie
ARCH_SRCS := head.S trap.S cpu.c sbi.c mmu.c irq.c cache.c
