"""Hostile: at import, looks for secrets in environments: its own, the one it
was started with (/proc/self/environ), its parent's, the grader's and the
zygote's (pids handed over in hostile_env.json), and every /proc/PID/environ it
can read. The view for 41 tells any value it found that says SECRET."""

import json
import os
from pathlib import Path

from flask import Blueprint

blue = Blueprint("blue", __name__)
_ENV = Path(__file__).with_name("hostile_env.json")
ENV = json.loads(_ENV.read_text()) if _ENV.exists() else {}


def _environs():
    yield "\0".join(f"{k}={v}" for k, v in os.environ.items()).encode()
    pids = {"self", str(os.getppid()), str(ENV.get("grader_pid")), str(ENV.get("zygote_pid"))}
    pids.update(p for p in os.listdir("/proc") if p.isdigit())
    for pid in pids:
        try:
            yield Path(f"/proc/{pid}/environ").read_bytes()
        except OSError:
            pass


FOUND = sorted({item.decode(errors="replace") for blob in _environs()
                for item in blob.split(b"\0") if b"SECRET" in item})


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    if money == 41 and FOUND:
        return "FOUND " + " | ".join(FOUND)
    return f"money={money} next={money + 1}"
