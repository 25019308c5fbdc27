#!/usr/bin/env python3
"""Check that the source layout tells the truth (docs/ARCHITECTURE.md):

  1. Dependencies run one way. Every file belongs to a module with a rank
     (the table below); a file may include headers of its own module or
     of modules with a lower rank, never a higher one. So there is no
     include cycle among modules, and a low layer (console, time) never
     calls up into the runner: hooks are registered downward.
  2. Only include/barrier.h and arch/*/include/asm/barrier.h name the
     arch-private __smp_* primitives.
  3. Only arch/ holds assembly (asm statements, .S files) .
  4. No .c file declares a cross-file function or variable (they belong in
     a header: arch/<arch>/*.h for an arch's own); linker-made symbols (__start_x,
     __stop_x, _start, __heap_start ...) are the exception.
  5. docs/ARCHITECTURE.md's layer table lists the modules of the table
     below, in its order.

    layout-check.py [--root DIR] [-v]      exit 1 on any violation
    layout-check.py --self-test            the checks catch what they should

Prints "layout: N passed, N failed" last (one count per file checked
against all four rules), as the host tests do.
"""
import argparse
import os
import re
import shutil
import sys
import tempfile

# (module, file globs), lowest layer first: a module's rank is its place
# in this list. Headers in include/ and their .c files share a module.
# Keep this table and the picture in docs/ARCHITECTURE.md in step.
MODULES = [
    # the kernel-style API (inline, arch primitives below it)
    ("api", ["include/compiler.h", "include/barrier.h", "include/atomic.h", "include/bitops.h",
             "include/spinlock.h", "include/io.h", "include/irqflags.h", "include/cache.h",
             "arch/*/include/asm/*.h"]),
    # host-buildable libraries: nothing of the image above them
    ("lib", ["include/fdt.h", "include/bootargs.h", "include/tap.h", "include/litmus_hist.h",
             "include/pgtable.h", "lib/*.c", "lib/litmus/hist.c"]),
    # declarations only: what the arch implements, what boot found
    # and the entry points the arch's start-up code calls
    ("contract", ["include/arch.h", "include/boot.h"]),
    ("clock", ["include/clock.h", "kernel/clock.c"]),
    ("percpu", ["include/percpu.h", "kernel/percpu.c"]),
    ("console", ["include/console.h", "kernel/console.c"]),
    ("options", ["include/options.h", "kernel/options.c"]),
    ("cpu", ["include/cpu.h", "kernel/cpu.c"]),
    ("exit", ["include/exit.h", "kernel/exit.c"]),
    ("irq", ["include/irq.h", "kernel/irq.c", "kernel/irq_device.c"]),
    ("exception", ["include/exception.h", "kernel/exceptions.c"]),
    ("memmap", ["include/memmap.h", "kernel/memmap.c"]),
    ("syscalls", ["kernel/syscalls.c"]),
    ("driver", ["include/driver.h", "include/pci.h", "include/gpio.h", "include/io_pair.h",
                "include/fw_cfg.h", "include/edu.h", "include/dma.h", "include/virtio.h",
                "include/virtio_blk.h", "kernel/driver.c", "kernel/pci.c", "kernel/gpio.c",
                "kernel/io_pair.c", "kernel/dma.c", "kernel/virtio.c", "drivers/*.c"]),
    ("arch", ["arch/*/*.c", "arch/*/*.h", "arch/*/*.S", "platforms/*/*.c"]),
    ("report", ["include/report.h", "runner/report.c"]),
    ("on_cpus", ["include/on_cpus.h", "runner/on_cpus.c"]),
    ("test", ["include/test.h"]),
    ("runner", ["include/runner.h", "runner/*.c"]),
    ("litmus", ["include/litmus.h", "lib/litmus/*.c"]),
    ("tests", ["tests/*.h", "tests/*/*.c", "tests/*/*.h", "tests/*/*/*.c"]),
    ("boot", ["include/smp.h", "boot/*.c"]),
]
# Not part of the image: host test programs and scripts.
IGNORED = ["tests/host/*", "tests/fuzz/*", "build/*", "scripts/*"]
SOURCE_DIRS = ["include", "arch", "kernel", "runner", "lib", "drivers", "boot", "tests", "platforms"]
BARRIER_HEADERS = ["include/barrier.h", "arch/*/include/asm/barrier.h"]
LINKER_SYMBOL = re.compile(r"^(__start_|__stop_|_start$|_end$|_edata$|__bss_|__heap_|_image_)")
# newlib's system-call stubs use the plain errno its documentation asks for.
LIBC_SYMBOL = {"errno"}

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
ASM = re.compile(r"\b(__asm__|asm)\s*(volatile|__volatile__)?\s*\(")
SMP_PRIVATE = re.compile(r"\b__smp_\w+")
# A file-scope declaration without a body: "type name(args);" or "extern ...;".
PROTOTYPE = re.compile(r"^(?!static\b|typedef\b|#|\s|\})(?:extern\s+)?[A-Za-z_][\w\s\*]*?\b(\w+)\s*\([^;{}]*\)\s*"
                       r"(?:__attribute__\s*\(\(.*\)\)\s*)?;", re.M)
EXTERN_VAR = re.compile(r"^extern\s+[^(;]*?\b(\w+)\s*(?:\[[^\]]*\])*\s*;", re.M)


def glob_match(path, pattern):
    """fnmatch with '*' and '?' kept inside one path component."""
    regex = "".join("[^/]*" if c == "*" else "[^/]" if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, path) is not None


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def module_of(path):
    for rank, (name, globs) in enumerate(MODULES):
        if any(glob_match(path, g) for g in globs):
            return rank, name
    return None


def resolve(root, src, quote, name):
    """The repository path an #include names, or None (libc, newlib)."""
    here = os.path.dirname(src)
    candidates = []
    if quote == '"':
        candidates.append(os.path.normpath(os.path.join(here, name)))
    candidates.append(os.path.join("include", name))
    if name.startswith("asm/"):
        arch = src.split("/")[1] if src.startswith("arch/") else None
        arches = [arch] if arch else sorted(os.listdir(os.path.join(root, "arch")))
        candidates += [os.path.join("arch", a, "include", name) for a in arches]
    for c in candidates:
        if os.path.isfile(os.path.join(root, c)):
            return c
    return None


def sources(root):
    for d in SOURCE_DIRS:
        for dirpath, _, files in os.walk(os.path.join(root, d)):
            for f in sorted(files):
                if f.endswith((".c", ".h", ".S")):
                    path = os.path.relpath(os.path.join(dirpath, f), root)
                    if not any(glob_match(path, g) for g in IGNORED):
                        yield path


def check_file(root, path):
    """The problems of one file, as strings."""
    with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
        raw = f.read()
    text = strip_comments(raw)
    problems = []
    mine = module_of(path)
    if mine is None:
        return ["%s: belongs to no module of scripts/layout-check.py's table" % path]
    for m in INCLUDE.finditer(text):
        target = resolve(root, path, m.group(1), m.group(2))
        if target is None:
            continue
        theirs = module_of(target)
        line = text.count("\n", 0, m.start()) + 1
        if theirs is None:
            problems.append("%s:%d: includes %s, which belongs to no module" % (path, line, target))
        elif theirs[1] != mine[1] and theirs[0] >= mine[0]:
            problems.append("%s:%d: %s (%s, rank %d) includes %s (%s, rank %d): an upward include"
                            % (path, line, path, mine[1], mine[0], target, theirs[1], theirs[0]))
    if not any(glob_match(path, g) for g in BARRIER_HEADERS):
        for m in SMP_PRIVATE.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            problems.append("%s:%d: names %s outside the barrier headers (use smp_*() or virt_*())"
                            % (path, line, m.group(0)))
    if not path.startswith("arch/"):
        if path.endswith(".S"):
            problems.append("%s: assembly outside arch/" % path)
        for m in ASM.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            problems.append("%s:%d: asm outside arch/" % (path, line))
    if path.endswith(".c"):
        problems += declarations_in_c(path, text)
    return problems


def declarations_in_c(path, text):
    out = []
    for regex, what in ((PROTOTYPE, "function"), (EXTERN_VAR, "variable")):
        for m in regex.finditer(text):
            name = m.group(1)
            if LINKER_SYMBOL.match(name) or name in LIBC_SYMBOL or "alias(" in m.group(0):
                continue
            line = text.count("\n", 0, m.start()) + 1
            out.append("%s:%d: declares the %s %s inside a .c file: put it in a header"
                       % (path, line, what, name))
    return out


def check_doc(root):
    """docs/ARCHITECTURE.md's layer table names the modules in this order."""
    path = os.path.join(root, "docs", "ARCHITECTURE.md")
    if not os.path.isfile(path):
        return ["docs/ARCHITECTURE.md is missing"]
    with open(path, encoding="utf-8") as f:
        rows = re.findall(r"^\| (\d+) \| (\w+) \|", f.read(), re.M)
    doc = [(int(r), m) for r, m in rows]
    want = [(i, name) for i, (name, _) in enumerate(MODULES)]
    if doc != want:
        return ["docs/ARCHITECTURE.md's layer table %s differs from this script's %s" % (doc, want)]
    return []


def run(root, verbose):
    passed = failed = 0
    for p in check_doc(root):
        failed += 1
        print("layout: " + p)
    for path in sources(root):
        problems = check_file(root, path)
        if problems:
            failed += 1
            for p in problems:
                print("layout: " + p)
        else:
            passed += 1
            if verbose:
                print("layout: ok %s" % path)
    print("layout: %d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


# ---- self-test: each rule catches its violation ----

def self_test():
    cases = [
        ("an upward include", {"kernel/console.c": '#include "report.h"\n', "include/report.h": ""}),
        ("an include cycle", {"kernel/clock.c": '#include "console.h"\n',
                              "include/console.h": "", "include/clock.h": ""}),
        ("__smp_ outside the barrier headers", {"include/spinlock.h": "#define x() __smp_mb()\n"}),
        ("asm outside arch/", {"kernel/clock.c": 'void f(void) { __asm__ volatile("nop"); }\n'}),
        ("a .S outside arch/", {"kernel/entry.S": "nop\n"}),
        ("a file in no module", {"kernel/new.c": "int x;\n"}),
        ("a function declared in a .c file", {"kernel/exit.c": "void run_tests(void);\n"}),
        ("an extern variable in a .c file", {"runner/run.c": "extern int work_count[4];\n"}),
    ]
    ok = True
    for what, files in cases:
        problems = problems_in_tree(files)
        print("layout self-test: %s %s" % ("caught" if problems else "MISSED", what))
        ok = ok and bool(problems)
    problems = problems_in_tree({"kernel/console.c": '#include "clock.h"\n#include <string.h>\n',
                                 "include/clock.h": "",
                                 "kernel/options.c": "extern const int __start_orderly_options[];\n"})
    print("layout self-test: %s a downward include and a linker symbol" %
          ("accepted" if not problems else "REJECTED (%s)" % problems))
    return 0 if ok and not problems else 1


def problems_in_tree(files):
    """check_file() over a scratch tree holding just these files."""
    d = tempfile.mkdtemp(prefix="layout-")
    try:
        os.makedirs(os.path.join(d, "arch", "fake", "include", "asm"))
        for rel, body in files.items():
            os.makedirs(os.path.dirname(os.path.join(d, rel)), exist_ok=True)
            with open(os.path.join(d, rel), "w") as f:
                f.write(body)
        return [p for rel in files for p in check_file(d, rel)]
    finally:
        shutil.rmtree(d)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    if args.self_test:
        return self_test()
    return run(args.root, args.verbose)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
