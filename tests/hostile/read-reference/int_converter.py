"""Hostile: at import, try to read the reference solution and the exercise spec:
by the paths the test hands over (hostile_env.json, the worst case), by paths
worked out from the grader package, through /proc/PID/root of the grader, through
inherited descriptors, and by searching the usual folders. The view for 41 tells
what it read, so a leak fails the check and shows in the report."""

import json
import os
from pathlib import Path

from flask import Blueprint

blue = Blueprint("blue", __name__)
HERE = Path(__file__).resolve()
_ENV = HERE.with_name("hostile_env.json")
ENV = json.loads(_ENV.read_text()) if _ENV.exists() else {}
WANTED = ("int_converter.py", "int-converter.yaml")
SKIP = {"site-packages", "venv", ".venv", "__pycache__", "proc", "sys", "usr", "hostile"}


def _roots():
    roots = [ENV.get("repo")]
    try:
        import grader

        roots.append(str(Path(grader.__file__).resolve().parents[1]))
    except Exception:
        pass
    roots += [str(p) for p in HERE.parents]
    return [r for r in roots if r]


def _candidates():
    yield ENV.get("reference_file")
    yield ENV.get("exercise_file")
    for root in _roots():
        yield os.path.join(root, "reference", "int-converter", "int_converter.py")
        yield os.path.join(root, "exercises", "int-converter.yaml")
    for pid in (ENV.get("grader_pid"), ENV.get("zygote_pid"), 1):
        if pid and ENV.get("reference_file"):
            yield f"/proc/{pid}/root{ENV['reference_file']}"
            yield f"/proc/{pid}/cwd/reference/int-converter/int_converter.py"
    for fd in range(3, 256):  # a directory descriptor left open would lead outside
        try:
            yield from (os.path.join(f"/proc/self/fd/{fd}", n) for n in os.listdir(fd))
        except OSError:
            pass
    for top in ("/work", "/home", "/root", "/srv", "/opt", "/tmp", "/autograder"):
        for folder, dirs, files in os.walk(top):
            dirs[:] = [d for d in dirs if d not in SKIP][:50]
            yield from (os.path.join(folder, f) for f in files if f in WANTED)


def _steal():
    stolen = []
    for path in _candidates():
        try:
            if not path or os.path.samefile(path, HERE):
                continue
            with open(path, encoding="utf-8", errors="replace") as handle:
                stolen.append(f"{path}: {handle.read(300)}")
        except OSError:
            pass
    return stolen


STOLEN = _steal()


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    if money == 41 and STOLEN:
        return "LEAKED " + " | ".join(STOLEN)
    return f"money={money} next={money + 1}"
