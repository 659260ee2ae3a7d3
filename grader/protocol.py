"""Messages between the grading parent and a child: one JSON object per line.

Bodies travel base64-encoded so any bytes (even invalid UTF-8) survive.
Imported by both sides, so it imports nothing heavy.
"""

from __future__ import annotations

import base64
import json
from typing import IO, Any

from .http import Request, Response

__all__ = ["write_message", "read_message", "request_to_wire", "request_from_wire",
           "response_to_wire", "response_from_wire"]


def write_message(stream: IO[bytes], message: dict[str, Any]) -> None:
    stream.write(json.dumps(message, ensure_ascii=True).encode("ascii") + b"\n")
    stream.flush()


def read_message(stream: IO[bytes]) -> dict[str, Any] | None:
    """The next message, or ``None`` at end of stream."""
    line = stream.readline()
    if not line:
        return None
    return json.loads(line)


def request_to_wire(request: Request) -> dict[str, Any]:
    return {"op": "request", "method": request.method, "path": request.path,
            "query": request.query, "form": request.form, "headers": request.headers,
            "host": request.host, "remote_addr": request.remote_addr}


def request_from_wire(message: dict[str, Any]) -> Request:
    return Request(method=message["method"], path=message["path"],
                   query=_pairs(message["query"]), form=_pairs(message["form"]),
                   headers=_pairs(message["headers"]), host=str(message["host"]),
                   remote_addr=str(message["remote_addr"]))


def response_to_wire(response: Response) -> dict[str, Any]:
    return {"event": "response", "status": response.status, "headers": response.headers,
            "body": base64.b64encode(response.body).decode("ascii"),
            "truncated": response.truncated, "traceback": response.traceback}


def response_from_wire(message: dict[str, Any]) -> Response:
    return Response(status=int(message["status"]), headers=_pairs(message["headers"]),
                    body=base64.b64decode(message["body"]),
                    truncated=bool(message.get("truncated")),
                    traceback=message.get("traceback"))


def _pairs(items: list) -> tuple[tuple[str, str], ...]:
    return tuple((str(k), str(v)) for k, v in items)
