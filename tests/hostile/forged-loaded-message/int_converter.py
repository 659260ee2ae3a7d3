"""Hostile: at import, writes a forged 'loaded' message whose route has
"methods": 5 (not a list) into every socket or pipe it holds."""

import os
import stat

from flask import Blueprint

blue = Blueprint("blue", __name__)
FORGED = (b'{"event": "loaded", "routes": [{"rule": "/x/", "methods": 5, "endpoint": "x"}],'
          b' "session": {}}\n')

for fd in range(3, 256):
    try:
        if stat.S_ISSOCK(os.fstat(fd).st_mode) or stat.S_ISFIFO(os.fstat(fd).st_mode):
            os.write(fd, FORGED)
    except OSError:
        pass


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    return f"money={money} next={money + 1}"
