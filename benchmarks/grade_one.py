"""How long does grading one exercise take, next to the cost of merely
importing Flask and Flask-Session on the same machine?

Target (issue 2): ``grade int-converter`` on the reference costs at most 2×
that import floor. Runs are interleaved so both see the same machine load.

    python benchmarks/grade_one.py [--runs 9] [--exercise int-converter]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def wall(command: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
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
    wall(floor), wall(ours)  # warm the file cache
    floor_times, grade_times = [], []
    for _ in range(args.runs):
        floor_times.append(wall(floor))
        grade_times.append(wall(ours))
    floor_median, grade_median = statistics.median(floor_times), statistics.median(grade_times)
    print(f"runs: {args.runs} each, interleaved, median wall time")
    print(f"import flask, flask_session : {floor_median * 1000:7.1f} ms")
    print(f"grade {args.exercise:<21} : {grade_median * 1000:7.1f} ms")
    print(f"ratio                       : {grade_median / floor_median:7.2f}x  (target <= 2.00x)")


if __name__ == "__main__":
    main()
