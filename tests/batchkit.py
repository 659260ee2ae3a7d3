"""Helpers for the ``grade batch`` tests: run a batch in this process while
counting the gradings it really runs, build small classes from the variants,
and copy an exercise so a test can edit its spec."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT
from grader.batch import run as batch_run
from grader.batch.command import BatchSettings, batch
from grader.grading import Options

EXAMPLE_CLASS = ROOT / "examples" / "class"


@dataclass
class Outcome:
    code: int
    stdout: str
    progress: str
    #: gradings actually run (cached results are not gradings)
    gradings: int


def run_batch(folder: Path, out: Path, *exercises: str, regrade: bool = False, jobs: int = 2,
              lang: str = "en", timeout: float | None = None) -> Outcome:
    count = 0
    lock = threading.Lock()
    real = batch_run.Grading

    def counting(*args, **kwargs):
        nonlocal count
        with lock:
            count += 1
        return real(*args, **kwargs)

    lines: list[str] = []
    progress = io.StringIO()
    settings = BatchSettings(folder=folder, out=out, exercise_ids=exercises, jobs=jobs,
                             regrade=regrade, lang=lang, options=Options(timeout=timeout))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(batch_run, "Grading", counting)
        code = batch(settings, lines.append, progress)
    return Outcome(code, "\n".join(lines), progress.getvalue(), count)


def make_class(folder: Path, students: dict[str, dict[str, str]]) -> Path:
    """students: name → {path in the student's folder: path in the repository}."""
    for student, files in students.items():
        for target, source in files.items():
            destination = folder / student / target
            destination.parent.mkdir(parents=True, exist_ok=True)
            if (ROOT / source).is_dir():
                shutil.copytree(ROOT / source, destination)
            else:
                shutil.copyfile(ROOT / source, destination)
    return folder


def copy_exercise(root: Path, exercise: str) -> Path:
    """exercises/ID.yaml and reference/ID/ under root; returns the spec's path.
    Point GRADER_EXERCISES at root / 'exercises' to grade with the copy."""
    (root / "exercises").mkdir(parents=True, exist_ok=True)
    spec = root / "exercises" / f"{exercise}.yaml"
    shutil.copyfile(ROOT / "exercises" / f"{exercise}.yaml", spec)
    shutil.copytree(ROOT / "reference" / exercise, root / "reference" / exercise,
                    ignore=shutil.ignore_patterns("__pycache__"))
    return spec


def outputs(out: Path) -> dict[str, bytes]:
    """Every output file (not the cache) by its path relative to out."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and ".cache" not in p.relative_to(out).parts}


def example_class_out(base: Path) -> tuple[Path, Outcome]:
    """Grade examples/class into base/example-class (from the cache when an
    earlier test module already graded it in this session)."""
    out = base / "example-class"
    return out, run_batch(EXAMPLE_CLASS, out)


def _process(pid: int) -> tuple[str, str, int] | None:
    """(name, state, parent) of a process, None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name, rest = text[text.index("(") + 1:text.rindex(")")], text[text.rindex(")") + 2:].split()
    return name, rest[0], int(rest[1])


def _descendants(pid: int) -> set[int]:
    found, frontier = set(), {pid}
    while frontier:
        frontier = {int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()
                    and (info := _process(int(p.name))) and info[2] in frontier} - found
        found |= frontier
    return found


def children_left_looping(base: Path, grade: list[str]) -> list[tuple]:
    """Grade a class whose views loop with ``grade`` (a command line), kill it
    with SIGKILL once two children loop, and return the children still running
    10 s later."""
    loops = "tests/data/submissions/loops-in-view/int_converter.py"
    folder = make_class(base / "class", {f"s{n}": {"int_converter.py": loops}
                                         for n in range(4)})
    proc = subprocess.Popen([*grade, "batch", str(folder), "--out", str(base / "out"), "-j", "2",
                             "--timeout", "30"], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    children: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            children = {p for p in _descendants(proc.pid)
                        if (info := _process(p)) and info[0] == "grader-child"}
            if sum((info := _process(p)) is not None and info[1] == "R" for p in children) >= 2:
                break
            time.sleep(0.1)
        assert children, "no child was started"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 10
    alive = []
    while time.monotonic() < deadline:
        alive = [info for p in children if (info := _process(p)) and info[1] != "Z"]
        if not alive:
            break
        time.sleep(0.1)
    for pid in children:  # a failing run leaves no CPU burning behind it
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    return alive
