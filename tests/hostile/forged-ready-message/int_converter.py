"""Hostile: at import, writes a well-formed forged 'loaded' message, then in
place of 'ready' a message whose "params" is a list of numbers, into every
socket or pipe it holds."""

import os
import stat

from flask import Blueprint

blue = Blueprint("blue", __name__)
FORGED = (b'{"event": "loaded", "routes": [], "session": {}}\n'
          b'{"event": "not-ready", "kind": "store", "params": [1, 2]}\n')

for fd in range(3, 256):
    try:
        if stat.S_ISSOCK(os.fstat(fd).st_mode) or stat.S_ISFIFO(os.fstat(fd).st_mode):
            os.write(fd, FORGED)
    except OSError:
        pass


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    return f"money={money} next={money + 1}"
