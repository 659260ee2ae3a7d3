"""What confinement costs: the wall time of ``grade ID --submission reference/ID``
with confinement on (the default) and off (``GRADER_CONFINE=0``), side by side.

Confinement is what a forked child does before the student's import (new
namespaces, a private root of read-only binds, chroot, a user of its own),
so only forked children (Linux) have it; spawned ones report it missing. Runs
are interleaved (on, off, on, off, ...) so that both see the same machine
load; the figures are medians. Figures only: nothing is asserted.

    python benchmarks/confinement.py [--runs 9] [EXERCISE ...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ["int-converter", "cookie-login", "request-object", "session-persist"]


def wall(command: list[str], confine: bool) -> float:
    env = dict(os.environ, GRADER_START="fork", GRADER_CONFINE="1" if confine else "0")
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          env=env)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.decode()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("exercises", nargs="*", default=DEFAULT)
    args = parser.parse_args()
    if not sys.platform.startswith("linux"):
        sys.exit("confinement applies to forked children, which are Linux-only")
    grade = shutil.which("grade") or sys.exit("'grade' is not installed: pip install -e .")
    print(f"runs: {args.runs} each, interleaved, median wall time of grade ID on the reference")
    print(f"{'exercise':<18} {'on':>9} {'off':>9} {'on - off':>9} {'ratio':>6}")
    for exercise in args.exercises:
        command = [grade, exercise, "--submission", f"reference/{exercise}"]
        wall(command, True), wall(command, False)  # warm the file cache
        times: dict[bool, list[float]] = {True: [], False: []}
        for _ in range(args.runs):
            for confine in (True, False):
                times[confine].append(wall(command, confine))
        on, off = statistics.median(times[True]), statistics.median(times[False])
        print(f"{exercise:<18} {on * 1000:7.1f}ms {off * 1000:7.1f}ms "
              f"{(on - off) * 1000:+7.1f}ms {on / off:5.2f}x")


if __name__ == "__main__":
    main()
