"""JUnit XML from one or more runs (one testsuite per variant)."""
import xml.etree.ElementTree as ET

from .runner import PASS


def write(path, platform_name, outcomes):
    root = ET.Element("testsuites")
    for out in outcomes:
        p, f, s = out.tap.counts()
        name = platform_name + (" [%s]" % out.label if out.label else "")
        suite = ET.SubElement(root, "testsuite", name=name, tests=str(len(out.tap.results)),
                              failures=str(f), skipped=str(s), time="%.3f" % out.seconds)
        for r in out.tap.results:
            case = ET.SubElement(suite, "testcase", classname=name, name=r.name)
            if r.failed:
                fail = ET.SubElement(case, "failure", message=r.comment or "not ok")
                fail.text = "\n".join(r.yaml)
            elif r.skip or r.todo:
                ET.SubElement(case, "skipped", message=r.comment)
        if out.cls != PASS and (out.tap.incomplete_reason() or not out.tap.failures()):
            case = ET.SubElement(suite, "testcase", classname=name, name="run")
            ET.SubElement(case, "failure", message=out.reason)
            suite.set("tests", str(len(out.tap.results) + 1))
            suite.set("failures", str(f + 1))
        ET.SubElement(suite, "system-out").text = "\n".join(out.log)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
