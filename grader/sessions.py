"""Reading an app's session in the trusted parent, as data, without the app.

A Flask session lives in its cookie, ``[.]payload.timestamp.signature``: the
payload is base64url JSON (Flask's tagged JSON), zlib-compressed where the
value starts with '.'. A Flask-Session session lives in the store, under the
id its cookie carries: msgpack (or JSON) in Redis, a pickled dict in a
cachelib file.

The parent reads both itself. Asking the app would let a session interface of
the student's own tell the grader one thing and its cookie another. Nothing
here runs what the app wrote: JSON and msgpack are data, and pickles are read
by an unpickler that finds no function and no class but a few value types
(datetime, Decimal, UUID, set and the like). Every size is bounded, so a
hostile session costs its own app its points and nothing more.
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

__all__ = ["MAX_BYTES", "from_cookie", "from_cookie_header", "from_stored"]

#: the most the parent decodes of one session, compressed or not
MAX_BYTES = 1 << 20
#: the most keys a session read reports (a report shows a few)
MAX_KEYS = 50
#: the most values (at any depth) a session read turns into JSON data, and
#: the most characters of text: a pickle may name one string a thousand times
MAX_VALUES, MAX_TEXT = 10_000, 4 << 20
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


def from_cookie_header(header: str | None, name: str) -> dict[str, Any] | Msg:
    """The session the cookie ``name`` in a ``Cookie`` header holds, as a
    server reads it; an empty one without that cookie."""
    from .http import cookie_value

    value = cookie_value(header, name)
    return from_cookie(value) if value else {}


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
    ("builtins", "complex"), ("collections", "OrderedDict"), ("datetime", "date"),
    ("datetime", "datetime"), ("datetime", "time"), ("datetime", "timedelta"),
    ("datetime", "timezone"), ("decimal", "Decimal"), ("uuid", "UUID"),
    ("markupsafe", "Markup"),
})
#: what may be hashed while a pickle is read: a tuple or a set of tuples
#: shared at every level hashes in time exponential in its depth
_FLAT = (str, bytes, int, float, bool, type(None))


def _flat(*values: Any) -> None:
    for value in values:
        if not isinstance(value, _FLAT) or isinstance(value, int) and value.bit_length() > 4096:
            raise _Unreadable(Msg("session_stored_not_readable"))


class _DataOnly(pickle._Unpickler):  # type: ignore[name-defined]
    """Builds lists, dicts, strings, numbers and the few value classes above;
    finds no other class or function, so nothing the app wrote can run.

    Python's own unpickler, not C's: C's sizes its memo from the index a
    pickle names, so nine bytes ask it for gigabytes. Keys of dicts, members
    of sets and the arguments of a class are plain values only, so nothing
    is hashed that takes longer than reading it."""

    dispatch = dict(pickle._Unpickler.dispatch)  # type: ignore[attr-defined]

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _SAFE_CLASSES:
            return super().find_class(module, name)
        raise _Unreadable(Msg("session_holds_object", {"name": f"{module}.{name}"[:200]}))

    def persistent_load(self, pid: Any) -> Any:
        raise pickle.UnpicklingError("persistent id")

    def _setitem(self) -> None:
        value, key = self.stack.pop(), self.stack.pop()
        _flat(key)
        self.stack[-1][key] = value

    def _setitems(self) -> None:
        items = self.pop_mark()
        _flat(*items[::2])
        target = self.stack[-1]
        for at in range(0, len(items), 2):
            target[items[at]] = items[at + 1]

    def _dict(self) -> None:
        items = self.pop_mark()
        _flat(*items[::2])
        self.append(dict(zip(items[::2], items[1::2], strict=False)))

    def _additems(self) -> None:
        items = self.pop_mark()
        _flat(*items)
        self.stack[-1].update(items)

    def _frozenset(self) -> None:
        items = self.pop_mark()
        _flat(*items)
        self.append(frozenset(items))

    def _reduce(self) -> None:
        _plain_arguments(self.stack[-1])
        super().load_reduce()

    def _newobj(self) -> None:
        _plain_arguments(self.stack[-1])
        super().load_newobj()

    def _build(self) -> None:
        # BUILD sets what it is given on the object below it; on a class
        # (Markup itself) that would change the class in the grader's process
        target = self.stack[-2] if len(self.stack) > 1 else None
        if isinstance(target, type) or not hasattr(target, "__setstate__"):
            raise _Unreadable(Msg("session_stored_not_readable"))
        super().load_build()

    def _refused(self) -> None:
        raise _Unreadable(Msg("session_stored_not_readable"))

    for _opcode, _load in ((pickle.SETITEM, _setitem), (pickle.SETITEMS, _setitems),
                           (pickle.DICT, _dict), (pickle.ADDITEMS, _additems),
                           (pickle.FROZENSET, _frozenset), (pickle.REDUCE, _reduce),
                           (pickle.NEWOBJ, _newobj), (pickle.BUILD, _build),
                           (pickle.NEWOBJ_EX, _refused),
                           (pickle.INST, _refused), (pickle.OBJ, _refused)):
        dispatch[_opcode[0]] = _load
    del _opcode, _load


def _plain_arguments(args: Any) -> None:
    """A class is built from plain values (a datetime from its bytes) and
    at most a timezone or a timedelta: no container to hash."""
    import datetime

    if not isinstance(args, tuple) or not all(
            isinstance(arg, (*_FLAT, datetime.tzinfo, datetime.timedelta)) for arg in args):
        raise _Unreadable(Msg("session_stored_not_readable"))
    _flat(*(arg for arg in args if isinstance(arg, _FLAT)))


def _unpickled(data: bytes) -> Any:
    try:
        return _DataOnly(io.BytesIO(data)).load()
    except _Unreadable:
        raise
    except Exception:  # noqa: BLE001 - anything a crafted pickle makes Python raise
        raise _Unreadable(Msg("session_stored_not_readable")) from None


def _plain_session(session: Any, not_a_session: str) -> dict[str, Any]:
    if not isinstance(session, dict):
        raise _Unreadable(Msg(not_a_session))
    budget = [MAX_VALUES, MAX_TEXT]
    return {_key(k): _plain(v, budget, 0) for k, v in list(session.items())[:MAX_KEYS]}


def _key(key: Any) -> str:
    if isinstance(key, bytes):
        return key.decode("utf-8", "replace")
    if key is None or isinstance(key, bool):
        return json.dumps(key)
    return _text(str(key)[:1000]) if isinstance(key, (str, float)) or _small(key) else "…"


def _small(value: Any) -> bool:
    """An int short enough to print (Python refuses past 4,300 digits)."""
    return isinstance(value, int) and value.bit_length() <= 64


def _text(value: str) -> str:
    """Text as UTF-8 can hold it: a lone surrogate ("\\ud800", which JSON lets
    a cookie hold) written as its escape, so every output can write it."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


def _plain(value: Any, budget: list[int], depth: int) -> Any:
    """``value`` as JSON data, as the session's JSON would read; what is not
    JSON (bytes) as its repr. A pickle can share one list, or one string, a
    thousand times over, so every value and every character counts against
    ``budget`` (values left, characters left)."""
    budget[0] -= 1
    if budget[0] < 0 or budget[1] < 0 or depth > _MAX_DEPTH:
        return "…"
    if isinstance(value, int) and not isinstance(value, bool) and not _small(value):
        return "…"
    if isinstance(value, str):
        text = _text(value)  # counted as written out: a lone surrogate takes 6
        budget[1] -= len(text)
        return text
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(item, budget, depth + 1) for item in value[:MAX_VALUES]]
    if isinstance(value, dict):
        return {_key(k): _plain(v, budget, depth + 1)
                for k, v in list(value.items())[:MAX_VALUES]}
    budget[1] -= 1000
    try:  # a set, a datetime, bytes: as Python writes them, the start of it
        return _text(_shown(value)[:1000])
    except Exception:  # noqa: BLE001 - a value whose repr Python refuses
        return "…"


def _shown(value: Any) -> str:
    """The start of ``repr(value)``, without writing out all of a large one."""
    if isinstance(value, (bytes, bytearray)):
        return repr(value[:400]) + ("…" if len(value) > 400 else "")
    if isinstance(value, (set, frozenset)):
        items = [repr(item) for _, item in zip(range(100), value, strict=False)]
        return "{" + ", ".join(items) + (", …}" if len(value) > 100 else "}")
    return repr(value)
