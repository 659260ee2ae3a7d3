"""Hostile: the view for 41 tries to kill its parent and its process group, and
the grader and the zygote by the pids the test hands over (hostile_env.json).

Guarded: it acts only as the init of a PID namespace of its own (pid 1), where
the grader is out of sight; anywhere else it refuses, and says so in its answer."""

import json
import os
import signal
from pathlib import Path

from flask import Blueprint

blue = Blueprint("blue", __name__)
_ENV = Path(__file__).with_name("hostile_env.json")
ENV = json.loads(_ENV.read_text()) if _ENV.exists() else {}


def _kill(pid, sig=signal.SIGKILL):
    try:
        os.kill(pid, sig)
    except OSError:
        pass


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    if money == 41:
        if os.getpid() != 1:
            return "refused: not in a PID namespace of my own"
        for pid in (ENV.get("grader_pid"), ENV.get("zygote_pid")):
            if pid:
                _kill(pid, signal.SIGTERM)
                _kill(pid)
        _kill(os.getppid())  # 0 from a namespace's init: the process group
        try:
            os.killpg(os.getpgrp(), signal.SIGKILL)
        except OSError:
            pass
    return f"money={money} next={money + 1}"
