"""Reading an app's session in the trusted parent, as data, without the app.

A Flask session lives in its cookie, ``[.]payload.timestamp.signature``: the
payload is base64url JSON (Flask's tagged JSON), zlib-compressed where the
value starts with '.'. A Flask-Session session lives in the store, under the
id its cookie carries: msgpack (or JSON) in Redis, a pickled dict in a
cachelib file.

The parent reads both itself. Asking the app would let a session interface of
the student's own tell the grader one thing and its cookie another. Nothing
here runs what the app wrote: JSON and msgpack are data, and pickles are read
by an unpickler that finds no class or function at all. Every size is
bounded, so a hostile session costs its own app its points and nothing more.
The signature is not checked: the parent does not know the key, and the app
checks it itself on every later request.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import pickle
import zlib
from typing import Any

from .results import Msg

__all__ = ["MAX_BYTES", "from_cookie", "from_stored"]

#: the most the parent decodes of one session, compressed or not
MAX_BYTES = 1 << 20
#: the most keys a session read reports (a report shows a few)
MAX_KEYS = 50
#: the most values (at any depth) a session read turns into JSON data
MAX_VALUES = 10_000
_MAX_DEPTH = 40


class _Unreadable(Exception):
    """Why a session is not data the parent can read (its Msg)."""

    def __init__(self, msg: Msg) -> None:
        super().__init__(msg.key)
        self.msg = msg


def from_cookie(value: str) -> dict[str, Any] | Msg:
    """The session a Flask signed session cookie holds, or why it holds none."""
    try:
        return _plain_session(_untagged(_cookie_payload(value)), "session_cookie_not_flask")
    except _Unreadable as exc:
        return exc.msg


def from_stored(data: bytes, pickled: bool) -> dict[str, Any] | Msg:
    """The session Flask-Session stored as ``data``: a pickle in a cachelib
    file (``pickled``), msgpack or JSON in Redis (a pickle before 0.6)."""
    try:
        return _plain_session(_stored_session(data, pickled), "session_stored_not_readable")
    except _Unreadable as exc:
        return exc.msg


def _cookie_payload(value: str) -> bytes:
    if len(value) > MAX_BYTES:
        raise _Unreadable(Msg("session_too_large"))
    compressed = value.startswith(".")
    parts = value[1:].split(".") if compressed else value.split(".")
    if len(parts) != 3:  # payload.timestamp.signature, as itsdangerous writes it
        raise _Unreadable(Msg("session_cookie_not_flask"))
    try:
        payload = base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4))
    except (binascii.Error, ValueError):
        raise _Unreadable(Msg("session_cookie_not_flask")) from None
    return _inflated(payload) if compressed else payload


def _inflated(data: bytes) -> bytes:
    # a few kilobytes of cookie may inflate to gigabytes: stop at the bound
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_BYTES)
    except zlib.error:
        raise _Unreadable(Msg("session_cookie_not_flask")) from None
    if inflater.unconsumed_tail:
        raise _Unreadable(Msg("session_too_large"))
    return out


def _untagged(payload: bytes) -> Any:
    """Flask's tagged JSON (``{" t": [...]}`` for a tuple and so on) as data."""
    try:
        return json.loads(payload, object_hook=_untag)
    except (ValueError, RecursionError):
        raise _Unreadable(Msg("session_cookie_not_flask")) from None


def _untag(obj: dict[str, Any]) -> Any:
    if len(obj) != 1:
        return obj
    (tag, value), = obj.items()
    if tag == " b" and isinstance(value, str):
        try:
            return base64.b64decode(value)
        except (binascii.Error, ValueError):
            return value
    # " t" tuple, " di" a dict whose key looked like a tag, " m" Markup,
    # " u" UUID, " d" datetime: all read as their JSON form
    return value if tag in {" t", " di", " m", " u", " d"} else obj


def _stored_session(data: bytes, pickled: bool) -> Any:
    if len(data) > MAX_BYTES:
        raise _Unreadable(Msg("session_too_large"))
    if pickled:
        return _unpickled(data)
    import msgspec

    for decode in (msgspec.msgpack.decode, msgspec.json.decode):
        try:
            return decode(data)
        except (msgspec.DecodeError, RecursionError, ValueError):
            continue
    return _unpickled(data)


#: the classes a session may hold that a pickle names: values, not code
_SAFE_CLASSES = frozenset({
    ("builtins", "set"), ("builtins", "frozenset"), ("builtins", "complex"),
    ("collections", "OrderedDict"), ("datetime", "date"), ("datetime", "datetime"),
    ("datetime", "time"), ("datetime", "timedelta"), ("datetime", "timezone"),
    ("decimal", "Decimal"), ("uuid", "UUID"), ("markupsafe", "Markup"),
})


class _DataOnly(pickle.Unpickler):
    """Builds lists, dicts, strings, numbers and the few value classes above;
    finds no other class or function, so nothing the app wrote can run."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _SAFE_CLASSES:
            return super().find_class(module, name)
        raise _Unreadable(Msg("session_holds_object", {"name": f"{module}.{name}"[:200]}))

    def persistent_load(self, pid: Any) -> Any:
        raise pickle.UnpicklingError("persistent id")


def _unpickled(data: bytes) -> Any:
    try:
        return _DataOnly(io.BytesIO(data)).load()
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError,
            IndexError, KeyError, MemoryError, RecursionError, OverflowError):
        raise _Unreadable(Msg("session_stored_not_readable")) from None


def _plain_session(session: Any, not_a_session: str) -> dict[str, Any]:
    if not isinstance(session, dict):
        raise _Unreadable(Msg(not_a_session))
    budget = [MAX_VALUES]
    return {_key(k): _plain(v, budget, 0) for k, v in list(session.items())[:MAX_KEYS]}


def _key(key: Any) -> str:
    if isinstance(key, bytes):
        return key.decode("utf-8", "replace")
    return json.dumps(key) if key is None or isinstance(key, bool) else str(key)[:1000]


def _plain(value: Any, budget: list[int], depth: int) -> Any:
    """``value`` as JSON data, as the session's JSON would read; what is not
    JSON (bytes) as its repr. A pickle can share one list a thousand times
    over, so every value counts against ``budget``."""
    budget[0] -= 1
    if budget[0] < 0 or depth > _MAX_DEPTH:
        return "…"
    if isinstance(value, int) and value.bit_length() > 64:
        return "…"  # a number too long to print (Python refuses past 4,300 digits)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(item, budget, depth + 1) for item in value[:MAX_VALUES]]
    if isinstance(value, dict):
        return {_key(k): _plain(v, budget, depth + 1)
                for k, v in list(value.items())[:MAX_VALUES]}
    return repr(value)[:1000]
