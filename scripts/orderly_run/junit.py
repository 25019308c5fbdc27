"""JUnit XML: one <testsuite> per run (variant) in one <testsuites> file."""
import os
import re
import shlex
import socket
import tempfile
import time
import xml.etree.ElementTree as ET

from .verdict import (CRASH, INTERRUPTED, NOTHING_TESTED, QEMU_ERROR, TEST_FAILED, TIMEOUT,
                      signal_name)

# UART output can hold anything (firmware escape sequences, NUL bytes from a
# crashing image); XML 1.0 cannot, and one such byte would make the whole
# report unreadable. Show them as \xNN instead.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
RUN_FAILURE_TYPE = {CRASH: "crash", TIMEOUT: "timeout", QEMU_ERROR: "qemu-error",
                    NOTHING_TESTED: "nothing-tested", INTERRUPTED: "interrupted"}


def xml_text(text):
    return _NOT_XML.sub(lambda m: "\\x%02x" % ord(m.group()), text)


def _element(parent, tag, text=None, **attrs):
    e = ET.SubElement(parent, tag, {k: xml_text(str(v)) for k, v in attrs.items()})
    if text is not None:
        e.text = xml_text(text)
    return e


def _run_failed(out):
    """A synthetic "run" testcase is added when the run itself broke, not
    merely when named tests failed."""
    return out.cls not in (0, TEST_FAILED)


def _testsuite(root, out):
    p, f, s = out.tap.counts() if out.tap else (0, 0, 0)
    results = out.tap.results if out.tap else []
    extra = 1 if _run_failed(out) else 0
    suite = _element(root, "testsuite", name=out.title, tests=len(results) + extra,
                     failures=f + extra, errors=0, skipped=s, time="%.3f" % out.seconds,
                     timestamp=time.strftime("%Y-%m-%dT%H:%M:%S"), hostname=socket.gethostname())
    props = _element(suite, "properties")
    _element(props, "property", name="command", value=shlex.join(out.command))
    if out.qemu:
        _element(props, "property", name="qemu", value=out.qemu)
    if out.interrupted:
        _element(props, "property", name="interrupted", value=signal_name(out.interrupted))
    for line in out.tap.header if out.tap else []:
        _element(props, "property", name="header", value=line)
    for r in results:
        case = _element(suite, "testcase", classname=out.title, name=r.name,
                        time="%.3f" % r.seconds)
        if r.failed:
            _element(case, "failure", "\n".join(r.yaml), message=r.comment or "not ok",
                     type="not ok")
        elif r.skipped:
            _element(case, "skipped", message=("%s %s" % (r.directive, r.comment)).strip())
    if extra:
        case = _element(suite, "testcase", classname=out.title, name="run")
        detail = out.start_detail + (["qemu stderr:"] + out.stderr if out.stderr else [])
        _element(case, "failure", "\n".join(detail), message=out.reason,
                 type=RUN_FAILURE_TYPE.get(out.cls, "error"))
    _element(suite, "system-out", "\n".join(out.uart) + "\n")
    if out.stderr:
        _element(suite, "system-err", "\n".join(out.stderr) + "\n")
    return len(results) + extra, f + extra, s


def write(path, outcomes):
    root = ET.Element("testsuites", name="orderly")
    totals = [0, 0, 0]
    for out in outcomes:
        for i, n in enumerate(_testsuite(root, out)):
            totals[i] += n
    root.set("tests", str(totals[0]))
    root.set("failures", str(totals[1]))
    root.set("skipped", str(totals[2]))
    root.set("time", "%.3f" % sum(o.seconds for o in outcomes))
    ET.indent(root)
    _write_whole(ET.ElementTree(root), path)


def _write_whole(tree, path):
    """Into a temporary file beside path, then renamed over it: a reader
    (a CI dashboard) sees the old report or the whole new one, never half
    of one that a signal or a full disk cut short."""
    fd, temporary = tempfile.mkstemp(prefix=".%s." % os.path.basename(path), suffix=".tmp",
                                     dir=os.path.dirname(os.path.abspath(path)))
    try:
        with os.fdopen(fd, "wb") as f:
            tree.write(f, encoding="utf-8", xml_declaration=True)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask
