"""Hostile: in the view for 41, replaces the child's log (in its working folder,
which it owns) with a symbolic link to a file outside the sandbox, then crashes.

The link is only a name: followed by the grader it would show that file in the
report as "what the app printed" (a read as the grader's user), and the next
child, started for the next check, would open it with O_TRUNC, as root and
before confinement (a write). The target is a victim file the test made and
checks (hostile_env.json names it)."""

import json
import os
from pathlib import Path

from flask import Blueprint

blue = Blueprint("blue", __name__)
_ENV = Path(__file__).with_name("hostile_env.json")
ENV = json.loads(_ENV.read_text()) if _ENV.exists() else {}


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    if money == 41 and ENV.get("victim_file"):
        log = os.path.join(os.path.dirname(os.getcwd()), "child.log")
        try:
            os.remove(log)
            os.symlink(ENV["victim_file"], log)
        except OSError as exc:
            return f"could not swap the log: {exc}"
        os._exit(1)
    return f"money={money} next={money + 1}"
