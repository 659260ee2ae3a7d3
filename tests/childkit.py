"""One child on a folder that holds an int-converter submission, and requests
to it: for the tests of what a child sees and may do."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from grader.grading import EmbeddedApp, _launch
from grader.http import Request
from grader.sandbox import Limits, Loaded
from grader.spec import find_exercise
from grader.stores import Stores


def hand_in(folder: Path, source: str) -> Path:
    """``folder``, made to hold ``int_converter.py`` with ``source``."""
    folder.mkdir()
    (folder / "int_converter.py").write_text(source, encoding="utf-8")
    return folder


@contextmanager
def child_on(folder: Path, timeout: float = 10.0) -> Iterator[EmbeddedApp]:
    """A child that has loaded ``folder/int_converter.py``; closed afterwards."""
    exercise = find_exercise("int-converter")
    app = EmbeddedApp("submission", _launch(exercise, folder, "int_converter.py", None), timeout,
                      Stores(None), Limits())
    try:
        app.spawn()
        assert isinstance(app.wait_loaded(), Loaded)
        yield app
    finally:
        app.close()


def get(app: EmbeddedApp, path: str) -> str:
    """The body of the child's answer to ``GET path``."""
    response = app.submit(Request("GET", path)) or app.collect()
    return response.body.decode()
