#!/usr/bin/env python3
"""make O=DIR writes under DIR and nothing into the source tree (a step of
`make check`, issue 16):

    outoftree_check.py --platform qemu-virt-arm64 [--newlib-dir DIR] [--ignore DIR ...]

From a scratch directory, `make -C <tree> O=out` with a relative O= (so it
is taken from where make was started, as in Linux): the image is built,
print-KERNEL_FOR_RUN names it under out/, `make run` boots it (the virtio
tests: the runner's scratch disk) and its dry run shows the scratch disk
under out/, and `make clean` empties out/ of the build alone. Around it
all, every file and directory of the tree (build/ included, symlinks not
followed; .git and the --ignore directories aside: the caller's own logs)
must stay as it was, and so must `git status`.

newlib is not rebuilt (that takes minutes): the build uses the one the calling
make uses (its NEWLIB_DIR), unless --newlib-dir names another. Ends with
"outoftree: N passed, N failed"; exit 1 on a failure. Not named test_*.py:
`unittest discover` must not pick it up (it builds an image).
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.path.realpath(os.path.dirname(os.path.dirname(HERE)))
# Only the calling make's variables: the inner makes must see O= as a
# user's shell would pass it, relative and on their own command line.
OUTER_MAKE_ENV = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "O", "NEWLIB_DIR")


def outer_newlib_dir(platform):
    r = subprocess.run(["make", "-s", "--no-print-directory", "PLATFORM=" + platform,
                        "print-NEWLIB_DIR"], cwd=SRCDIR, capture_output=True, text=True,
                       check=True)
    return os.path.join(SRCDIR, r.stdout.strip())


def snapshot(skip):
    """{path: (kind, mtime_ns, size)} of the tree, without .git and the
    directories in skip."""
    skip = set(skip) | {os.path.join(SRCDIR, ".git")}
    files = {}
    for top, dirs, names in os.walk(SRCDIR):
        dirs[:] = [d for d in dirs if os.path.join(top, d) not in skip]
        for name in dirs + names:
            path = os.path.join(top, name)
            st = os.lstat(path)
            kind = "d" if name in dirs and not os.path.islink(path) else "f"
            # A directory's mtime moves with what is made in it: its
            # presence is what counts, its contents are listed themselves.
            files[os.path.relpath(path, SRCDIR)] = (kind, 0, 0) if kind == "d" else \
                (kind, st.st_mtime_ns, st.st_size)
    return files


def git_status():
    # An untracked directory is one line, so that the calling build's own
    # output (make check O=out inside the clone) does not count; what
    # changes inside one, the snapshot sees.
    return subprocess.run(["git", "status", "--porcelain"], cwd=SRCDIR,
                          capture_output=True, text=True).stdout


class Check:
    def __init__(self, scratch, env, platform, newlib):
        self.scratch, self.env, self.platform, self.newlib = scratch, env, platform, newlib
        self.out = os.path.join(scratch, "out")
        self.passed = self.failed = 0

    def make(self, *words):
        """make in the tree, started from the scratch directory, O=out."""
        command = ["make", "-C", SRCDIR, "-s", "--no-print-directory", "PLATFORM=" + self.platform,
                   "O=out", "NEWLIB_DIR=" + self.newlib] + list(words)
        return subprocess.run(command, cwd=self.scratch, env=self.env, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, errors="replace")

    def verdict(self, ok, what, r=None):
        print("%s: %s" % ("ok" if ok else "FAILED", what))
        if not ok and r is not None:
            print("  $ %s (exit %d)" % (" ".join(r.args), r.returncode))
            for line in (r.stdout + r.stderr).splitlines()[-30:]:
                print("    " + line)
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        return ok


def run_checks(c):
    r = c.make("all")
    if not c.verdict(r.returncode == 0, "make O=out builds %s" % c.platform, r):
        return
    r = c.make("print-KERNEL_FOR_RUN")
    kernel = r.stdout.strip()
    c.verdict(r.returncode == 0 and kernel.startswith(os.path.join(c.out, c.platform) + "/")
              and os.path.isfile(kernel),
              "print-KERNEL_FOR_RUN names the image under O= (%s)" % kernel, r)
    r = c.make("run", "RUN_ARGS=--dry-run")
    scratch_disk = "file=%s/" % os.path.join(c.out, "tmp")
    c.verdict(r.returncode == 0 and scratch_disk in r.stdout,
              "make run's QEMU command has its scratch disk under O= (%s...)" % scratch_disk, r)
    r = c.make("run", "BOOTARGS=tests=virtio/*", "RUN_ARGS=--quiet")
    c.verdict(r.returncode == 0, "make run O=out boots the image (tests=virtio/*)", r)
    keep = os.path.join(c.out, "not-ours")
    open(keep, "w").close()
    r = c.make("clean")
    c.verdict(r.returncode == 0 and os.path.exists(keep)
              and sorted(os.listdir(c.out)) == ["not-ours"],
              "make clean O=out removes what the build made there, and only that: %s"
              % sorted(os.listdir(c.out)), r)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--platform", required=True, help="a name under platforms/")
    ap.add_argument("--newlib-dir", help="the newlib build to use (default: the calling make's)")
    ap.add_argument("--ignore", action="append", default=[], metavar="DIR",
                    help="a directory the caller writes meanwhile (make check's logs, in "
                         "the tree's build/ without O=): not judged")
    args = ap.parse_args()
    newlib = os.path.abspath(args.newlib_dir or outer_newlib_dir(args.platform))
    scratch = os.path.realpath(tempfile.mkdtemp(prefix="orderly-outoftree-"))
    env = {k: v for k, v in os.environ.items() if k not in OUTER_MAKE_ENV}
    # Where make was started, as a shell would say (subprocess's cwd= alone
    # leaves the caller's PWD).
    env["PWD"] = scratch
    # The scratch directory is inside the tree when TMPDIR is (build/tmp).
    skip = [scratch] + [os.path.realpath(d) for d in args.ignore]
    before, status_before = snapshot(skip), git_status()
    c = Check(scratch, env, args.platform, newlib)
    try:
        run_checks(c)
        after, status_after = snapshot(skip), git_status()
        changed = sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))
        c.verdict(not changed, "the source tree is as it was%s" % (
            "" if not changed else ": " + ", ".join(
                "%s (%s)" % (p, "new" if p not in before else "gone" if p not in after
                             else "modified") for p in changed[:20])))
        c.verdict(status_after == status_before, "git status is as it was%s" % (
            "" if status_after == status_before else ":\n" + status_after))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print("outoftree: %d passed, %d failed" % (c.passed, c.failed))
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
