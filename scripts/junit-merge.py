#!/usr/bin/env python3
"""One JUnit report of a whole `make check`: the runner's per-run reports
(a <testsuite> per platform run, a <testcase> per TAP result, failures with
their YAML) merged under one <testsuites>, plus a suite "make check" with a
<testcase> per counted step (the negative controls among them: a control
that failed as its row says is a passing case), a failed step carrying the
tail of its log.

    junit-merge.py --steps build/check/steps.tsv --out build/check/junit.xml [--check] RUN.xml...

--check reads the result back with junitparser (Debian's python3-junitparser,
a real consumer of the format) and fails if it cannot, or if its counts
differ from what was written.
"""
import argparse
import os
import sys
import xml.etree.ElementTree as ET

LOG_TAIL = 40


def step_suite(steps_file):
    suite = ET.Element("testsuite", name="make check")
    cases = failures = 0
    total_ms = 0
    with open(steps_file, encoding="utf-8", errors="replace") as f:
        for line in f:
            name, verdict, ms, log = line.rstrip("\n").split("\t")
            case = ET.SubElement(suite, "testcase", classname="make check", name=name,
                                 time="%.3f" % (int(ms) / 1000))
            cases += 1
            total_ms += int(ms)
            if verdict != "ok":
                failures += 1
                tail = ""
                if os.path.exists(log):
                    with open(log, encoding="utf-8", errors="replace") as lf:
                        tail = "".join(lf.readlines()[-LOG_TAIL:])
                ET.SubElement(case, "failure", message="step failed (log: %s)" % log,
                              type="step").text = tail
    suite.set("tests", str(cases))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    suite.set("time", "%.3f" % (total_ms / 1000))
    return suite


def merge(steps_file, reports):
    root = ET.Element("testsuites", name="orderly make check")
    for path in reports:
        for suite in ET.parse(path).getroot().iter("testsuite"):
            root.append(suite)
    if steps_file:
        root.append(step_suite(steps_file))
    totals = {k: sum(int(s.get(k, 0)) for s in root.iter("testsuite"))
              for k in ("tests", "failures", "errors", "skipped")}
    for k, v in totals.items():
        root.set(k, str(v))
    return root, totals


def check(path, totals):
    """Read it back as a CI system would: every suite and case, and the
    counts the suites claim."""
    try:
        from junitparser import JUnitXml
    except ImportError:
        # Debian's package is for Debian's python3; a python3 of its own
        # (pyenv, a venv) first on PATH does not look there.
        sys.path.append("/usr/lib/python3/dist-packages")
        try:
            from junitparser import JUnitXml
        except ImportError:
            print("junit-merge: python3-junitparser is not installed (make deps)")
            return False
    xml = JUnitXml.fromfile(path)
    suites = list(xml)
    cases = sum(len(list(s)) for s in suites)
    failed = sum(1 for s in suites for c in s if c.result and
                 any(type(r).__name__ in ("Failure", "Error") for r in c.result))
    print("junit-merge: %s: %d suites, %d cases, %d failed (junitparser)" % (
        path, len(suites), cases, failed))
    if cases != totals["tests"] or failed != totals["failures"] + totals["errors"]:
        print("junit-merge: the counts read back (%d cases, %d failed) are not the ones "
              "written (%d tests, %d failures)" % (cases, failed, totals["tests"],
                                                    totals["failures"]))
        return False
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--steps")
    ap.add_argument("--out", required=True)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("reports", nargs="*")
    args = ap.parse_args()
    root, totals = merge(args.steps, args.reports)
    tmp = args.out + ".tmp"
    ET.ElementTree(root).write(tmp, encoding="utf-8", xml_declaration=True)
    os.replace(tmp, args.out)
    print("junit-merge: %s: %d reports and %s merged: %d tests, %d failures, %d skipped" % (
        args.out, len(args.reports), "the steps" if args.steps else "no steps", totals["tests"],
        totals["failures"], totals["skipped"]))
    return 0 if not args.check or check(args.out, totals) else 1


if __name__ == "__main__":
    sys.exit(main())
