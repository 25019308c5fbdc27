# arm64 build facts (DESIGN.md section 6 and 7).
CROSS_COMPILE ?= aarch64-linux-gnu-
NEWLIB_TARGET := aarch64-none-elf
ARCH_CFLAGS := -mstrict-align -mno-outline-atomics -march=armv8-a
NEWLIB_CFLAGS := -mstrict-align -mno-outline-atomics
ARCH_LDFLAGS := -no-pie
ARCH_SRCS := head.S vectors.S cpu.c mmu.c gic.c cache.c
