"""How long does grading one exercise take, next to the cost of merely
importing Flask and Flask-Session on the same machine?

Target (issue 2): ``grade int-converter`` on the reference costs at most 2×
that import floor. Runs are interleaved so all see the same machine load; on
Linux both ways of starting children are measured: forked from a zygote (the
default there) and spawned (what Windows and macOS get).

    python benchmarks/grade_one.py [--runs 9] [--exercise int-converter]
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


def wall(command: list[str], start: str | None = None) -> float:
    env = dict(os.environ, GRADER_START=start) if start else None
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          env=env)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.decode()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--exercise", default="int-converter")
    args = parser.parse_args()
    grade = shutil.which("grade") or sys.exit("'grade' is not installed: pip install -e .")
    floor = [sys.executable, "-c", "import flask, flask_session"]
    ours = [grade, args.exercise, "--submission", f"reference/{args.exercise}"]
    methods = ["fork", "spawn"] if sys.platform.startswith("linux") else ["spawn"]
    wall(floor), wall(ours)  # warm the file cache
    times: dict[str, list[float]] = {"floor": [], **{m: [] for m in methods}}
    for _ in range(args.runs):
        times["floor"].append(wall(floor))
        for method in methods:
            times[method].append(wall(ours, method))
    medians = {k: statistics.median(v) for k, v in times.items()}
    print(f"runs: {args.runs} each, interleaved, median wall time")
    print(f"{'import flask, flask_session':<36}: {medians['floor'] * 1000:7.1f} ms")
    for method in methods:
        label = f"grade {args.exercise} ({method})"
        print(f"{label:<36}: {medians[method] * 1000:7.1f} ms   "
              f"ratio {medians[method] / medians['floor']:.2f}x  (target <= 2.00x)")

if __name__ == "__main__":
    main()
