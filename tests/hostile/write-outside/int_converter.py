"""Hostile: at import, try to write outside the working folder: a file beside
other students' work (its path handed over in hostile_env.json), the host's /tmp,
the repository, the grader package, the reference, the folder it was copied from;
and to open the grader's, the spec's and the reference's files for appending
(without writing a byte: a probe must not damage what it fails to protect). The
view for 41 tells what it managed."""

import json
import os
from pathlib import Path

from flask import Blueprint

blue = Blueprint("blue", __name__)
HERE = Path(__file__).resolve()
_ENV = HERE.with_name("hostile_env.json")
ENV = json.loads(_ENV.read_text()) if _ENV.exists() else {}
REPO = ENV.get("repo", "/nonexistent")


def _created():
    targets = [ENV.get("outside_file"),
               os.path.join(REPO, "HOSTILE-ESCAPED.txt"),
               os.path.join(REPO, "grader", "HOSTILE-ESCAPED.py"),
               os.path.join(REPO, "reference", "int-converter", "HOSTILE-ESCAPED.txt"),
               os.path.join(ENV.get("source_dir", "/nonexistent"), "HOSTILE-ESCAPED.txt"),
               os.path.join(ENV.get("workdirs", "/nonexistent"), "HOSTILE-ESCAPED.txt")]
    done = []
    for target in targets:
        try:
            with open(target, "x") as handle:
                handle.write("escaped\n")
            done.append(f"created {target}")
        except (OSError, TypeError):
            pass
    try:  # the host's /tmp: a private /tmp takes this harmlessly, so it is not told
        with open(ENV.get("tmp_marker", "/tmp/flask-grader-hostile-marker"), "x") as handle:
            handle.write("escaped\n")
    except OSError:
        pass
    for target in (os.path.join(REPO, "grader", "__init__.py"), ENV.get("exercise_file"),
                   ENV.get("reference_file"), ENV.get("victim_file")):
        try:
            open(target, "a").close()
            done.append(f"could write {target}")
        except (OSError, TypeError):
            pass
    return done


ESCAPED = _created()


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    if money == 41 and ESCAPED:
        return "ESCAPED " + " | ".join(ESCAPED)
    return f"money={money} next={money + 1}"
