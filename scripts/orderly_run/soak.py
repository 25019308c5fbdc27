"""--repeat N: the same run N times, each with a seed of its own, and a
table of what happened (soak testing: a rare false failure or hang shows
up, and its seed replays it)."""
import random

from .verdict import CLASS_WORDS, PASS, TIMEOUT, CRASH

_rng = random.SystemRandom()


def seeds(n):
    """N distinct non-zero 32-bit seeds."""
    out = []
    while len(out) < n:
        s = _rng.getrandbits(32)
        if s and s not in out:
            out.append(s)
    return out


def bootargs_with_seed(bootargs, seed):
    """The image takes the last seed= it is given."""
    return ("%s seed=0x%08x" % (bootargs, seed)).strip()


def table(platform_name, outcomes, seed_of, bootargs):
    """The soak report: one line of totals, failures by test with their
    seeds, and how to replay each failed run."""
    wall = sum(o.seconds for o in outcomes)
    passed = sum(o.cls == PASS for o in outcomes)
    hangs = [o for o in outcomes if o.cls == TIMEOUT]
    crashes = [o for o in outcomes if o.cls == CRASH]
    lines = ["", "soak %s: %d runs in %.1f s: %d passed, %d failed (%d hangs, %d crashes)"
             % (platform_name, len(outcomes), wall, passed, len(outcomes) - passed,
                len(hangs), len(crashes))]
    by_test = {}
    for o in outcomes:
        for r in o.tap.failures() if o.tap else []:
            by_test.setdefault(r.name, []).append(seed_of[id(o)])
    if by_test:
        lines.append("%-48s %5s  %s" % ("failed test", "runs", "seeds"))
        for name in sorted(by_test, key=lambda n: (-len(by_test[n]), n)):
            s = by_test[name]
            lines.append("%-48s %5d  %s" % (name, len(s), " ".join("0x%08x" % x for x in s)))
    # Skips are not passes: a shape the host gave no concurrency to, in
    # some runs and not others, is coverage those runs did not have.
    skipped = {}
    for o in outcomes:
        for r in (o.tap.results if o.tap else []):
            if r.directive == "SKIP":
                skipped.setdefault(r.name, []).append(r.comment)
    if skipped:
        lines.append("%-48s %5s  %s" % ("skipped test", "runs", "first reason"))
        for name in sorted(skipped, key=lambda n: (-len(skipped[n]), n)):
            lines.append("%-48s %5d  %s" % (name, len(skipped[name]), skipped[name][0][:72]))
    bad = [o for o in outcomes if o.cls != PASS]
    for o in bad:
        lines.append("  %s seed=0x%08x: %s (replay: --bootargs '%s')" % (
            CLASS_WORDS[o.cls], seed_of[id(o)], o.reason,
            bootargs_with_seed(bootargs, seed_of[id(o)])))
    return lines
