"""The process cap of a confined child is its own: a fork bomb that fills its
cap takes no process from a submission graded beside it or after it. Each
forked child runs as a user of its own, and the cap counts per user."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from grader import processes
from grader.confine import MAX_PROCESSES
from grader.grading import EmbeddedApp, _launch
from grader.http import Request
from grader.sandbox import Limits, Loaded
from grader.spec import find_exercise
from grader.stores import Stores

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


def start(folder: Path, source: str) -> EmbeddedApp:
    folder.mkdir()
    (folder / "int_converter.py").write_text(source, encoding="utf-8")
    exercise = find_exercise("int-converter")
    app = EmbeddedApp("submission", _launch(exercise, folder, "int_converter.py", None), 10.0,
                      Stores(None), Limits())
    app.spawn()
    assert isinstance(app.wait_loaded(), Loaded)
    return app


def ask(app: EmbeddedApp) -> tuple[int, int]:
    response = app.submit(Request("GET", "/made")) or app.collect()
    made, user = response.body.decode().split()
    return int(made), int(user)


def test_a_fork_bomb_takes_no_process_from_its_neighbour(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADER_START", "fork")
    processes.prestart()
    bomb = start(tmp_path / "mallory", BOMB.format(most=2 * MAX_PROCESSES))
    try:
        made, bomber = ask(bomb)
        assert made < MAX_PROCESSES, "the bomb was never refused: no cap"
        neighbour = start(tmp_path / "alice", THREADS)  # while the bomb's processes live
        try:
            threads, user = ask(neighbour)
        finally:
            neighbour.close()
    finally:
        bomb.close()
    assert threads == 8
    assert user != bomber
    after = start(tmp_path / "bob", THREADS)  # while the bomb's processes may still be dying
    try:
        assert ask(after)[0] == 8
    finally:
        after.close()
