#!/usr/bin/env python3
"""Break a device tree source on purpose, for make check's negative controls.

    dtb-mutate.py add-cpu IN.dts OUT.dts [HWID]
        Copy the first cpu@N node as cpu@<HWID> with reg = <HWID> and no
        phandles: a CPU that does not exist ("cannot start" must be named).
    dtb-mutate.py break-reg IN.dts OUT.dts
        Drop the last cell of the first multi-cell reg of a node at depth 1
        (a device, not memory): "a device node without a usable reg".
    dtb-mutate.py shrink-pci-window IN.dts OUT.dts
        Cut every 32-bit memory range of the first PCI host bridge
        (device_type = "pci") to 64 KiB: "a BAR that does not fit the
        window" must be named.
    dtb-mutate.py drop-console IN.dts OUT.dts
        Remove the node /chosen/stdout-path names and stdout-path itself:
        "a device tree without a UART" must fall back, and say so.
    --bootargs "..." (any mode) also sets /chosen/bootargs, since QEMU
    does not apply -append to a -dtb on every machine.
"""
import re
import sys


def node_end(text, i):
    """Index just past the line that closes the node starting at text[i]."""
    depth = 0
    while True:
        ch = text[i]
        depth += ch == "{"
        depth -= ch == "}"
        i += 1
        if ch == "}" and depth == 0:
            return text.index("\n", i) + 1


def copy_first_cpu(text, hwid):
    # The first node with device_type = "cpu", whatever its name: cpu@0 on
    # arm64/riscv, PowerPC,8544@0 on ppce500 (ePAPR names CPUs by model).
    for start in re.finditer(r"^(\s*)[A-Za-z][\w,.+-]*@[0-9a-f]+ \{\n", text, re.M):
        end = node_end(text, start.start())
        node = text[start.start():end]
        if re.search(r'^\s*device_type = "cpu";', node, re.M):
            break
    else:
        sys.exit("dtb-mutate: no CPU node (device_type = \"cpu\") found")
    node = re.sub(r"[A-Za-z][\w,.+-]*@[0-9a-f]+ \{", "cpu@%x {" % hwid, node, count=1)
    node = re.sub(r"(\n\s*reg = <)[^>]*(>;)", r"\g<1>0x%x\2" % hwid, node, count=1)
    node = re.sub(r"\n\s*(linux,)?phandle = <[^>]*>;", "", node)
    node = re.sub(r"\n\s*cpu-idle-states = <[^>]*>;", "", node)
    node = re.sub(r'\n\s*status = "[^"]*";', "", node)
    return text[:end] + node + text[end:]


def set_bootargs(text, args):
    """QEMU ignores -append when given -dtb on some machines: put the
    bootargs into /chosen ourselves."""
    line = '\t\tbootargs = "%s";\n' % args
    m = re.search(r"^\tchosen \{\n", text, re.M)
    if not m:
        # A new node goes last in the root node: properties precede subnodes.
        root = re.search(r"^/ \{\n", text, re.M)
        end = node_end(text, root.start())
        close = text.rindex("\n", 0, end - 1) + 1
        return text[:close] + "\tchosen {\n" + line + "\t};\n" + text[close:]
    end = node_end(text, m.start() + 1)
    body = "".join(l for l in text[m.end():end].splitlines(True)
                   if not l.startswith("\t\tbootargs ="))
    return text[:m.end()] + line + body + text[end:]


def break_first_reg(text):
    for m in re.finditer(r"^\t([a-z][\w,.-]*)@[0-9a-f]+ \{\n(?:\t\t.*\n)*?\t\treg = <([^>]*)>;",
                         text, re.M):
        cells = m.group(2).split()
        if m.group(1) != "memory" and len(cells) > 1:
            start, end = m.span(2)
            return text[:start] + " ".join(cells[:-1]) + text[end:], m.group(1)
    sys.exit("dtb-mutate: no device node with a multi-cell reg found")


PCI_WINDOW_SIZE = 0x10000


def shrink_pci_window(text):
    """ranges entries are 3 PCI cells, the parent's address cells (2 on
    every platform here, checked by the entry count) and 2 size cells; the
    space code of a 32-bit memory range is 0x02 in the first cell's bits
    24-25."""
    for m in re.finditer(r"^(\t+)[a-z][\w,.-]*@[0-9a-f]+ \{\n", text, re.M):
        end = node_end(text, m.start())
        node = text[m.start():end]
        if not re.search(r'^\s*device_type = "pci";', node, re.M):
            continue
        r = re.search(r"^\s*ranges = <([^>]*)>;", node, re.M)
        cells = r.group(1).split() if r else []
        if not cells or len(cells) % 7:
            sys.exit("dtb-mutate: the PCI host's ranges are not 7-cell entries")
        for i in range(0, len(cells), 7):
            if (int(cells[i], 0) >> 24) & 3 == 2:
                cells[i + 5:i + 7] = ["0x00", "0x%x" % PCI_WINDOW_SIZE]
        start = m.start() + r.start(1)
        return text[:start] + " ".join(cells) + text[m.start() + r.end(1):]
    sys.exit("dtb-mutate: no PCI host bridge (device_type = \"pci\") found")


def drop_console(text):
    m = re.search(r'^\t\tstdout-path = "([^":]*)[^"]*";\n', text, re.M)
    if not m:
        sys.exit("dtb-mutate: no /chosen/stdout-path")
    path = m.group(1)
    text = text[:m.start()] + text[m.end():]
    if not path.startswith("/"):
        alias = re.search(r'^\t\t%s = "([^"]*)";' % re.escape(path), text, re.M)
        if not alias:
            sys.exit("dtb-mutate: stdout-path alias %r not in /aliases" % path)
        path = alias.group(1)
    comps = path.strip("/").split("/")
    start = 0
    for depth, comp in enumerate(comps, 1):
        n = re.compile(r"^%s%s \{\n" % ("\t" * depth, re.escape(comp)), re.M).search(text, start)
        if not n:
            sys.exit("dtb-mutate: node %s not found" % path)
        start = n.start()
    end = node_end(text, start)
    return text[:start] + text[end:]


def main():
    args = sys.argv[1:]
    bootargs = None
    if "--bootargs" in args:
        i = args.index("--bootargs")
        bootargs = args[i + 1]
        del args[i:i + 2]
    if len(args) < 3 or args[0] not in ("add-cpu", "break-reg", "shrink-pci-window", "drop-console"):
        sys.exit(__doc__)
    with open(args[1]) as f:
        text = f.read()
    if args[0] == "add-cpu":
        out = copy_first_cpu(text, int(args[3], 0) if len(args) > 3 else 0x63)
    elif args[0] == "shrink-pci-window":
        out = shrink_pci_window(text)
    elif args[0] == "drop-console":
        out = drop_console(text)
    else:
        out, name = break_first_reg(text)
        print(name)
    if bootargs is not None:
        out = set_bootargs(out, bootargs)
    with open(args[2], "w") as f:
        f.write(out)


if __name__ == "__main__":
    main()
