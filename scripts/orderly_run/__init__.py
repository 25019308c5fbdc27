"""orderly-run: boot an orderly image under QEMU and judge its TAP output.

Modules: makevars (the platform.mk evaluator), tap (the UART stream parser),
supervise (running QEMU with deadlines), verdict (exit classes and messages),
junit (the XML report), cli (the command line).
"""
