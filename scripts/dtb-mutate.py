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
    dtb-mutate.py binary-bootargs IN.dts OUT.dts
        /chosen/bootargs: the --bootargs words and then one of bytes that
        are not text (an escape sequence, a bell, DEL, bytes that are not
        UTF-8), as a byte string: a command line left binary by a broken
        boot loader.
    dtb-mutate.py bootargs IN.dts OUT.dts
        Only the --bootargs below (the first step of a binary mode).
    --bootargs "..." (any mode above) also sets /chosen/bootargs, since
    QEMU does not apply -append to a -dtb on every machine.

Binary modes: what dtc cannot write, so they take the compiled blob.
    dtb-mutate.py truncate IN.dtb OUT.dtb
        Cut the file in the middle of the structure block; the header still
        gives the whole size (a download or a flash write cut short).
    dtb-mutate.py bad-magic IN.dtb OUT.dtb
        The magic byte-swapped (0xedfe0dd0): a blob written little-endian.
    dtb-mutate.py struct-loop IN.dtb OUT.dtb
        The last property's length becomes 2^32 - 12, so the next token's
        offset wraps around to the property itself: a walk that adds
        lengths without a bound goes round forever. (The token stream only
        goes forward; a length that wraps is the one way to loop it.)
    dtb-mutate.py strings-oob IN.dtb OUT.dtb
        The first property of /chosen names a string past the end of the
        strings block.
    Each prints what it broke (one line).
"""
import re
import struct
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


BINARY_WORD = b"\x1b[2J\x07\x7f\xfe\xff"


def set_binary_bootargs(text, args):
    value = (args or "").encode() + b" " + BINARY_WORD + b"\0"
    line = "\t\tbootargs = [%s];\n" % " ".join("%02x" % b for b in value)
    text = set_bootargs(text, "")
    return re.sub(r'^\t\tbootargs = "";\n', lambda m: line, text, count=1, flags=re.M)


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


# -- binary modes ---------------------------------------------------------

FDT_MAGIC = 0xd00dfeed
FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP, FDT_END = 1, 2, 3, 4, 9


def header(blob):
    """(off_struct, off_strings, size_strings, size_struct) of a v17 blob."""
    magic, _, off_struct, off_strings, _, version = struct.unpack_from(">6I", blob)
    if magic != FDT_MAGIC or version < 17:
        sys.exit("dtb-mutate: the input is not a version 17 FDT")
    size_strings, size_struct = struct.unpack_from(">2I", blob, 32)
    return off_struct, off_strings, size_strings, size_struct


def properties(blob):
    """(path, name, offset of the FDT_PROP token) in structure order."""
    off_struct, off_strings, _, size_struct = header(blob)
    off, end, path, out = off_struct, off_struct + size_struct, [], []
    while off < end:
        (tok,) = struct.unpack_from(">I", blob, off)
        if tok == FDT_BEGIN_NODE:
            name_end = blob.index(b"\0", off + 4)
            path.append(blob[off + 4:name_end].decode())
            off = (name_end + 1 + 3) & ~3
        elif tok == FDT_END_NODE:
            path.pop()
            off += 4
        elif tok == FDT_PROP:
            length, nameoff = struct.unpack_from(">2I", blob, off + 4)
            name = blob[off_strings + nameoff:blob.index(b"\0", off_strings + nameoff)].decode()
            out.append(("/".join(path) or "/", name, off))
            off = (off + 12 + length + 3) & ~3
        elif tok == FDT_NOP:
            off += 4
        else:
            break
    return out


def truncate(blob):
    off_struct, _, _, size_struct = header(blob)
    cut = off_struct + size_struct // 2
    return blob[:cut], "cut at byte %d of %d (totalsize unchanged)" % (cut, len(blob))


def bad_magic(blob):
    header(blob)
    return struct.pack("<I", FDT_MAGIC) + blob[4:], "magic 0x%08x" % 0xedfe0dd0


def struct_loop(blob):
    path, name, off = properties(blob)[-1]
    out = bytearray(blob)
    struct.pack_into(">I", out, off + 4, 2**32 - 12)
    return bytes(out), "%s/%s: length 0x%x" % (path.rstrip("/"), name, 2**32 - 12)


def strings_oob(blob):
    _, _, size_strings, _ = header(blob)
    props = [p for p in properties(blob) if p[0] == "/chosen"]
    if not props:
        sys.exit("dtb-mutate: no property in /chosen")
    path, name, off = props[0]
    out = bytearray(blob)
    struct.pack_into(">I", out, off + 8, size_strings + 0x100)
    return bytes(out), "%s/%s: name offset 0x%x, strings block 0x%x bytes" % (
        path, name, size_strings + 0x100, size_strings)


BINARY_MODES = {"truncate": truncate, "bad-magic": bad_magic, "struct-loop": struct_loop,
                "strings-oob": strings_oob}
TEXT_MODES = ("add-cpu", "break-reg", "shrink-pci-window", "drop-console", "binary-bootargs",
              "bootargs")


def main():
    args = sys.argv[1:]
    bootargs = None
    if "--bootargs" in args:
        i = args.index("--bootargs")
        bootargs = args[i + 1]
        del args[i:i + 2]
    if len(args) < 3 or args[0] not in TEXT_MODES + tuple(BINARY_MODES):
        sys.exit(__doc__)
    if args[0] in BINARY_MODES:
        with open(args[1], "rb") as f:
            out, said = BINARY_MODES[args[0]](f.read())
        with open(args[2], "wb") as f:
            f.write(out)
        print(said)
        return
    with open(args[1]) as f:
        text = f.read()
    if args[0] == "add-cpu":
        out = copy_first_cpu(text, int(args[3], 0) if len(args) > 3 else 0x63)
    elif args[0] == "shrink-pci-window":
        out = shrink_pci_window(text)
    elif args[0] == "drop-console":
        out = drop_console(text)
    elif args[0] in ("bootargs", "binary-bootargs"):
        out = text
    else:
        out, name = break_first_reg(text)
        print(name)
    if args[0] == "binary-bootargs":
        out = set_binary_bootargs(out, bootargs)
    elif bootargs is not None:
        out = set_bootargs(out, bootargs)
    with open(args[2], "w") as f:
        f.write(out)


if __name__ == "__main__":
    main()
