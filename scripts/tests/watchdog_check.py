#!/usr/bin/env python3
"""Every test's watchdog is shorter than the runner's idle timeout (a step
of `make check`, issue 13): a test that hangs is then ended by the image,
by name, and the run goes on to its summary, instead of the runner giving
up on a silent UART and losing every later test.

    watchdog_check.py --platform platforms/qemu-virt-arm64 --kernel FILE

The image's `list` names each test with its timeout; the idle timeout is
the one the runner would use for the platform (its IDLE_TIMEOUT, else the
runner's default). Hidden tests count too: `make bench` and the controls
run them through the same runner. Exit 1 on a violation.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(SRCDIR, "scripts"))
from orderly_run.cli import DEFAULT_IDLE_TIMEOUT  # noqa: E402
from orderly_run.platformmk import print_vars  # noqa: E402

RUNNER = os.path.join(SRCDIR, "scripts", "orderly-run")
LISTED = re.compile(r"^# test: (\S+) \(timeout (\d+) ms\)")


def idle_timeout(platform):
    value = print_vars(os.path.join(platform, "platform.mk"), ["IDLE_TIMEOUT"])["IDLE_TIMEOUT"]
    return float(value.strip()) if value.strip() else DEFAULT_IDLE_TIMEOUT


def listed_timeouts(platform, kernel):
    with tempfile.NamedTemporaryFile("r", suffix=".log") as log:
        subprocess.run([RUNNER, "--quiet", "--platform", platform, "--kernel", kernel,
                        "--bootargs", "list", "--log", log.name], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return [(m.group(1), int(m.group(2))) for m in map(LISTED.match, log) if m]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--platform", required=True)
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--idle", type=float, metavar="SECONDS",
                    help="judge against this idle timeout instead (the check's own control)")
    args = ap.parse_args()
    idle_ms = (args.idle or idle_timeout(args.platform)) * 1000
    tests = listed_timeouts(args.platform, args.kernel)
    if not tests:
        print("watchdog: the image listed no test with its timeout")
        return 1
    bad = [(name, ms) for name, ms in tests if ms >= idle_ms]
    for name, ms in bad:
        print("watchdog: %s: timeout %d ms is not shorter than the runner's idle timeout %d ms"
              % (name, ms, idle_ms))
    longest = max(tests, key=lambda t: t[1])
    print("watchdog: %d tests, the longest timeout %s (%d ms), idle timeout %d ms: %d violations"
          % (len(tests), longest[0], longest[1], idle_ms, len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
