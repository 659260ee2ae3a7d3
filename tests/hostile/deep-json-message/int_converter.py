"""Hostile: at import, writes one protocol line of a million '[' (a JSON array
nested a million deep, well under the 4 MiB cap on a message) into every socket
or pipe it holds, ahead of the real 'loaded' message."""

import os
import stat

from flask import Blueprint

blue = Blueprint("blue", __name__)
DEEP = b"[" * 1_000_000 + b"\n"

for fd in range(3, 256):
    try:
        if stat.S_ISSOCK(os.fstat(fd).st_mode) or stat.S_ISFIFO(os.fstat(fd).st_mode):
            os.write(fd, DEEP)
    except OSError:
        pass


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    return f"money={money} next={money + 1}"
