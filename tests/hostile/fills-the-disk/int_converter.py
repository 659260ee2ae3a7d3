"""Hostile: at import, writes 8 MB files into its working folder until it has
written 192 MB or a write fails (bounded, so that a missing quota costs the test
machine little). The view for 41 tells how much it wrote if that was over 64 MB."""

import os

from flask import Blueprint

blue = Blueprint("blue", __name__)
CHUNK = b"\0" * (8 << 20)


def _fill():
    written = 0
    try:
        for index in range(24):
            with open(f"filler-{index}.bin", "wb") as handle:
                handle.write(CHUNK)
            written += len(CHUNK)
    except OSError:
        pass
    return written


WRITTEN = _fill()


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    if money == 41 and WRITTEN > 64 << 20:
        return f"WROTE {WRITTEN >> 20} MB"
    return f"money={money} next={money + 1}"
