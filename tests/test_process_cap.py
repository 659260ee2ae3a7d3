"""The process cap of a confined child is its own: a fork bomb that fills its
cap takes no process from a submission graded beside it or after it. Each
forked child runs as a user of its own, and the cap counts per user."""

from __future__ import annotations

import os
import sys

import pytest

from childkit import child_on, get, hand_in
from grader import processes
from grader.confine import MAX_PROCESSES

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or os.geteuid() != 0,
    reason="children run as users of their own only when the grader is root on Linux")

#: forks until refused, and leaves every process it made sleeping
BOMB = '''\
import os, time
from flask import Blueprint

made = 0
for _ in range({most}):
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        while True:
            time.sleep(3600)
    made += 1

blue = Blueprint("blue", __name__)


@blue.route("/made")
def made_view():
    return f"{{made}} {{os.getuid()}}"
'''

#: a view that needs a few threads, as some libraries start
THREADS = '''\
import os, threading
from flask import Blueprint

blue = Blueprint("blue", __name__)


@blue.route("/made")
def made_view():
    threads = [threading.Thread(target=lambda: None) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return f"8 {os.getuid()}"
'''


def made(app) -> tuple[int, int]:
    """How many the child made, and the user it runs as."""
    count, user = get(app, "/made").split()
    return int(count), int(user)


def test_a_fork_bomb_takes_no_process_from_its_neighbour(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADER_START", "fork")
    processes.prestart()
    with child_on(hand_in(tmp_path / "mallory", BOMB.format(most=2 * MAX_PROCESSES))) as bomb:
        forked, bomber = made(bomb)
        assert forked < MAX_PROCESSES, "the bomb was never refused: no cap"
        with child_on(hand_in(tmp_path / "alice", THREADS)) as neighbour:  # while the bomb lives
            threads, user = made(neighbour)
    assert threads == 8
    assert user != bomber
    # while the bomb's processes may still be dying
    with child_on(hand_in(tmp_path / "bob", THREADS)) as after:
        assert made(after)[0] == 8
