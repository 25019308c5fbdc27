"""orderly-run: boot an orderly image under QEMU and judge its TAP output.

Modules: platformmk (platform.mk, read by make itself through
scripts/print.mk), tap (the UART stream parser), supervise (running QEMU
with deadlines), verdict (exit classes and messages), controls (tables of
runs that must end a named way: tests/controls.cfg), junit (the XML
report), cli (the command line).
"""
