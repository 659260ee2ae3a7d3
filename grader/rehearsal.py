"""A zygote's rehearsal before a batch: it mounts an app of ours and plays
requests through it with the children's own functions, then forgets it.

A child forked from a zygote that never served a request runs all of Flask,
Werkzeug, Jinja and Flask-Session cold: Python 3.11 specialises bytecode as
it runs and libraries fill caches on first use, and each child did all of
that again, on pages it had to copy. After a rehearsal the children inherit
that work. No student's code and no reference is ever run here: the app is
``rehearsal_app/``, and nothing of it stays (module, path entry, signal
receiver, store), so a child starts as from a zygote that never rehearsed.
"""

from __future__ import annotations

import gc
import json
import shutil
import sys
import uuid
from pathlib import Path
from typing import Any

from .http import Request, Response
from .leftovers import make_folder
from .protocol import (parse_message, request_from_wire, request_to_wire, response_from_wire,
                       response_to_wire)

__all__ = ["rehearse", "APP_FOLDER", "MODULE"]

APP_FOLDER = Path(__file__).resolve().parent / "rehearsal_app"
MODULE = "rehearsal_app"
#: enough for Python to specialise what runs (it waits for 8 calls of a function)
ROUNDS = 10


def rehearse(base: str) -> None:
    """Mount and play the rehearsal app ROUNDS times (its session store in a
    folder made in ``base``), then remove every trace."""
    path_before = list(sys.path)
    store = make_folder("rehearsal", base)
    try:
        for round_ in range(ROUNDS):
            _play_once(server_side=round_ % 2 == 1, store=store)
    finally:
        sys.path[:] = path_before
        for name in [n for n in sys.modules if n == MODULE or n.startswith(MODULE + ".")]:
            del sys.modules[name]
        shutil.rmtree(store, ignore_errors=True)
        gc.collect()


def _play_once(server_side: bool, store: str) -> None:
    from flask import got_request_exception

    from .child import _Handler, _Printed
    from .mount import attach_store, mount

    config = {"root": str(APP_FOLDER), "file": f"{MODULE}.py", "blueprint": "blue",
              "url_prefix": "/r", "app_config": [["SECRET_KEY", "rehearsal"]],
              "session": "server" if server_side else "cookie"}
    app = mount(config).app
    if server_side:
        attach_store(app, {"type": "cachelib", "dir": store})
    # a recorder not put in place of sys.stdout: the rehearsal warms its code, prints nothing
    handler = _Handler(app, APP_FOLDER, 1 << 20, _Printed(sys.stdout))
    try:
        cookie = ""
        for method, path, query, form in _SCRIPT:
            headers = (("User-Agent", "rehearsal"),) + ((("Cookie", cookie),) if cookie else ())
            request = Request(method=method, path=path.format(key=uuid.uuid4()), query=query,
                              form=form, headers=headers)
            response = _round_trip(handler, request)
            cookie = _session_cookie(response) or cookie
    finally:
        got_request_exception.disconnect(handler._remember, app)


def _round_trip(handler: Any, request: Request) -> Response:
    """As a request travels: to the wire and back, served, and back again."""
    message = parse_message(json.dumps(request_to_wire(request)).encode())
    served = handler.handle(request_from_wire(message))
    return response_from_wire(parse_message(json.dumps(response_to_wire(served)).encode()))


def _session_cookie(response: Response) -> str:
    for name, value in response.headers:
        if name.lower() == "set-cookie" and value.startswith("session="):
            return value.split(";", 1)[0]
    return ""


_Pairs = tuple[tuple[str, str], ...]
#: (method, path, query, form): a little of every exercise's kind of request
_SCRIPT: tuple[tuple[str, str, _Pairs, _Pairs], ...] = (
    ("GET", "/r/", (), ()),
    ("GET", "/r/money/41/", (), ()),
    ("POST", "/r/money/41/", (), ()),
    ("GET", "/r/money/-1/", (), ()),
    ("GET", "/r/kinds/word/a/b/{key}/1.5/", (), ()),
    ("GET", "/r/login/", (), ()),
    ("POST", "/r/login/", (), (("name", "小明"),)),
    ("GET", "/r/welcome/", (), ()),
    ("GET", "/r/about/", (("a", "1"),), ()),
    ("GET", "/r/cookie/", (), ()),
    ("GET", "/r/abort/403/", (), ()),
    ("GET", "/r/abort/404/", (), ()),
    ("GET", "/r/abort/500/", (), ()),
    ("GET", "/r/inline/", (), ()),
    ("GET", "/static/style.css", (), ()),
    ("GET", "/r/logout/", (), ()),
    ("GET", "/nowhere", (), ()),
)
