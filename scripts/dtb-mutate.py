#!/usr/bin/env python3
"""Break a device tree source on purpose, for make check's negative controls.

    dtb-mutate.py add-cpu IN.dts OUT.dts [HWID]
        Copy the first cpu@N node as cpu@<HWID> with reg = <HWID> and no
        phandles: a CPU that does not exist ("cannot start" must be named).
    dtb-mutate.py break-reg IN.dts OUT.dts
        Drop the last cell of the first multi-cell reg of a node at depth 1
        (a device, not memory): "a device node without a usable reg".
"""
import re
import sys


def copy_first_cpu(text, hwid):
    start = re.search(r"^(\s*)cpu@[0-9a-f]+ \{\n", text, re.M)
    if not start:
        sys.exit("dtb-add-cpu: no cpu@N node found")
    indent, depth, i = start.group(1), 0, start.start()
    while True:                       # find the node's closing brace
        ch = text[i]
        depth += ch == "{"
        depth -= ch == "}"
        i += 1
        if ch == "}" and depth == 0:
            break
    end = text.index("\n", i) + 1
    node = text[start.start():end]
    node = re.sub(r"cpu@[0-9a-f]+ \{", "cpu@%x {" % hwid, node, count=1)
    node = re.sub(r"(\n\s*reg = <)[^>]*(>;)", r"\g<1>0x%x\2" % hwid, node, count=1)
    node = re.sub(r"\n\s*(linux,)?phandle = <[^>]*>;", "", node)
    node = re.sub(r"\n\s*cpu-idle-states = <[^>]*>;", "", node)
    return text[:end] + node + text[end:], indent


def break_first_reg(text):
    for m in re.finditer(r"^\t([a-z][\w,.-]*)@[0-9a-f]+ \{\n(?:\t\t.*\n)*?\t\treg = <([^>]*)>;",
                         text, re.M):
        cells = m.group(2).split()
        if m.group(1) != "memory" and len(cells) > 1:
            start, end = m.span(2)
            return text[:start] + " ".join(cells[:-1]) + text[end:], m.group(1)
    sys.exit("dtb-mutate: no device node with a multi-cell reg found")


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("add-cpu", "break-reg"):
        sys.exit(__doc__)
    with open(sys.argv[2]) as f:
        text = f.read()
    if sys.argv[1] == "add-cpu":
        hwid = int(sys.argv[4], 0) if len(sys.argv) > 4 else 0x63
        out, _ = copy_first_cpu(text, hwid)
    else:
        out, name = break_first_reg(text)
        print(name)
    with open(sys.argv[3], "w") as f:
        f.write(out)


if __name__ == "__main__":
    main()
