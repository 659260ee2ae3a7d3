"""Hostile: deletes its own file (and everything beside it) at import, and again
in the view for 41, which then crashes: the next check must start from a fresh
copy, and the folder handed in must be untouched."""

import os
import shutil
from pathlib import Path

from flask import Blueprint

blue = Blueprint("blue", __name__)
HERE = Path(__file__).resolve()


def _erase():
    for path in HERE.parent.iterdir():
        try:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        except OSError:
            pass


_erase()


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    if money == 41:
        _erase()
        os._exit(0)
    return f"money={money} next={money + 1}"
