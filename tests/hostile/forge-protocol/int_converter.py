"""Hostile: at import, writes a forged 'loaded' message (with a route that does
not exist) into every socket or pipe it holds, that is, into the protocol the
child speaks with the grader, ahead of the real one."""

import os
import stat

from flask import Blueprint

blue = Blueprint("blue", __name__)
FORGED = (b'{"event": "loaded", "routes": [{"rule": "/forged/", "methods": ["GET"],'
          b' "endpoint": "blue.forged"}], "session": {}}\n')

for fd in range(3, 256):
    try:
        if stat.S_ISSOCK(os.fstat(fd).st_mode) or stat.S_ISFIFO(os.fstat(fd).st_mode):
            os.write(fd, FORGED)
    except OSError:
        pass


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    return f"money={money} next={money + 1}"
