"""Hostile: four processes of 400 MB each, every one within the 1 GiB limit a
process has, 1.6 GB together. The view answers right only if one of them was
stopped: a cap on the whole sandbox, not on each process alone."""
import os
import time

from flask import Blueprint

HOGS, SIZE = 4, 400 << 20

pids = []
for _ in range(HOGS):
    pid = os.fork()
    if pid == 0:
        held = False
        try:
            try:
                with open("/proc/self/oom_score_adj", "w") as own:
                    own.write("1000")  # the out-of-memory killer takes a hog, not this module
            except OSError:
                pass
            hog = bytearray(SIZE)
            for i in range(0, SIZE, 4096):
                hog[i] = 1
            time.sleep(1.5)  # all four hold theirs at once
            held = True
        finally:
            os._exit(0 if held else 3)
    pids.append(pid)
HELD = sum(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0 for pid in pids)

blue = Blueprint("blue", __name__)


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    if HELD == HOGS:  # nothing stopped them: every answer is wrong
        return f"money={money} next=all {HOGS} hogs held their memory"
    return f"money={money} next={money + 1}"
