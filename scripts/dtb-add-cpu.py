#!/usr/bin/env python3
"""Add a CPU that does not exist to a device tree source, for the
negative control "a CPU that cannot start gives a named not ok".

    dtb-add-cpu.py IN.dts OUT.dts [HWID]

The first cpu@N node is copied as cpu@<HWID> with reg = <HWID> and no
phandles (they must stay unique); everything else is unchanged."""
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


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    hwid = int(sys.argv[3], 0) if len(sys.argv) > 3 else 0x63
    text = open(sys.argv[1]).read()
    out, _ = copy_first_cpu(text, hwid)
    open(sys.argv[2], "w").write(out)


if __name__ == "__main__":
    main()
