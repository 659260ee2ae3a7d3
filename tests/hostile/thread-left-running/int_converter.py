"""Hostile: non-daemon threads that never end, one spinning on the CPU, and one
more started by every request."""

import threading
import time

from flask import Blueprint

blue = Blueprint("blue", __name__)


def _sleep_forever():
    while True:
        time.sleep(0.05)


def _spin_forever():
    while True:
        pass


threading.Thread(target=_sleep_forever, name="sleeper").start()
threading.Thread(target=_spin_forever, name="spinner").start()


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    threading.Thread(target=_sleep_forever).start()
    return f"money={money} next={money + 1}"
