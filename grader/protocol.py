"""Messages between the grading parent and a child: one JSON object per line.

Bodies travel base64-encoded so any bytes (even invalid UTF-8) survive.
Imported by both sides, so it imports nothing heavy.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
from collections.abc import Iterable
from typing import IO, Any

from .http import Request, Response

__all__ = ["ProtocolError", "MAX_MESSAGE", "encode_message", "write_message", "read_message", "parse_message", "request_to_wire", "request_from_wire",
           "response_to_wire", "response_from_wire", "capped_headers"]


def encode_message(message: dict[str, Any]) -> bytes:
    return json.dumps(message, ensure_ascii=True).encode("ascii") + b"\n"


def write_message(stream: IO[bytes], message: dict[str, Any]) -> None:
    stream.write(encode_message(message))
    stream.flush()


#: no message may be longer (a 1 MiB body is about 1.4 MiB in base64)
MAX_MESSAGE = 4 << 20


class ProtocolError(ValueError):
    """The other side sent something that is not a message of ours."""


def read_message(stream: IO[bytes], limit: int = MAX_MESSAGE) -> dict[str, Any] | None:
    """The next message, or ``None`` at end of stream. The parent reads what
    an untrusted child wrote: the length is capped and the shape checked."""
    line = stream.readline(limit + 1)
    if not line:
        return None
    if len(line) > limit:
        raise ProtocolError(f"a message longer than {limit} bytes")
    return parse_message(line)


def parse_message(line: bytes) -> dict[str, Any]:
    """One line of the protocol as a message; ProtocolError if it is not one."""
    # json.loads(bytes) lets a lone surrogate through as raw bytes (it decodes with
    # surrogatepass); text no output can encode must not reach the parent
    text = line.decode("utf-8", errors="replace")
    try:
        message = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: nested too deep to parse
        raise ProtocolError("a message that is not JSON") from None
    if not isinstance(message, dict):
        raise ProtocolError("a message that is not an object")
    if _SURROGATE_ESCAPE.search(text):
        try:
            message = _without_lone_surrogates(message)
        except RecursionError:
            raise ProtocolError("a message nested too deep") from None
    return message


#: how JSON writes a surrogate; one without its pair is text no output can encode
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _without_lone_surrogates(value: Any) -> Any:
    """Text as UTF-8 can hold it (a lone surrogate shown as ``\\ud800``): a
    view that prints or raises "\\ud800" must not crash every report."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, list):
        return [_without_lone_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_without_lone_surrogates(k): _without_lone_surrogates(v) for k, v in value.items()}
    return value


def request_to_wire(request: Request) -> dict[str, Any]:
    return {"op": "request", "method": request.method, "path": request.path,
            "query": request.query, "form": request.form, "headers": request.headers,
            "host": request.host, "remote_addr": request.remote_addr, "json": request.json}


def request_from_wire(message: dict[str, Any]) -> Request:
    return Request(method=message["method"], path=message["path"],
                   query=_pairs(message["query"]), form=_pairs(message["form"]),
                   headers=_pairs(message["headers"]), host=str(message["host"]),
                   remote_addr=str(message["remote_addr"]),
                   json=None if message.get("json") is None else str(message["json"]))


def response_to_wire(response: Response) -> dict[str, Any]:
    return {"event": "response", "status": response.status, "headers": response.headers,
            "body": base64.b64encode(response.body).decode("ascii"),
            "truncated": response.truncated, "traceback": response.traceback,
            "broke_off": response.broke_off, "printed": response.printed}


def response_from_wire(message: dict[str, Any], received: float | None = None) -> Response:
    """A response from the child's message; ProtocolError if it is not one."""
    try:
        status = int(message["status"])
        if not 100 <= status <= 999:
            raise ValueError(status)
        traceback, printed = message.get("traceback"), message.get("printed")
        return Response(status=status, headers=_pairs(message["headers"]),
                        body=base64.b64decode(message["body"], validate=True),
                        truncated=bool(message.get("truncated")),
                        traceback=None if traceback is None else str(traceback)[:20000],
                        broke_off=bool(message.get("broke_off")),
                        printed=None if printed is None else str(printed)[:2100],
                        received=received)
    except (KeyError, TypeError, ValueError, OverflowError) as exc:
        # binascii.Error is a ValueError; int(inf) (JSON's Infinity) overflows
        raise ProtocolError(f"not a response ({type(exc).__name__})") from None


#: what of a response's headers the parent takes: a browser keeps a cookie of
#: 4 KB, and a page has a few dozen headers; a Set-Cookie of 4 MB was parsed
#: again at every step and printed whole in every report
MAX_HEADERS, MAX_HEADER_VALUE = 100, 8192


def _pairs(items: list) -> tuple[tuple[str, str], ...]:
    return capped_headers(items[:MAX_HEADERS])


def capped_headers(items: Iterable[tuple[Any, Any]]) -> tuple[tuple[str, str], ...]:
    """Headers as the parent keeps them: at most MAX_HEADERS, each value cut
    to MAX_HEADER_VALUE (a child's, or a live server's under ``--url``)."""
    return tuple((str(k)[:256], str(v)[:MAX_HEADER_VALUE])
                 for k, v in itertools.islice(items, MAX_HEADERS))
