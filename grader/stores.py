"""Server-side session stores the grader provides, privately for each app,
and read-only inspection of what an app put there.

A Redis store is a ``redis-server`` the grader starts on a private Unix
socket (or one named by ``--redis-url`` / ``GRADER_REDIS_URL``); a filesystem
store is a private temporary folder. Lives in the trusted parent; nothing
read from a store is ever unpickled.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import struct
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import StoreUnavailable

__all__ = ["StoreEntry", "Stores"]

_FILE_TYPES = ("filesystem", "cachelib")


@dataclass(frozen=True, slots=True)
class StoreEntry:
    """What the store holds for one session id."""

    present: bool
    key: str | None = None
    ttl: float | None = None
    #: the id is stored, but under another prefix than the one looked for
    other_key: str | None = None


class Stores:
    """Hands each app (``role``) its own store and inspects it."""

    def __init__(self, redis_url: str | None = None) -> None:
        self.redis_url = redis_url
        self._server: subprocess.Popen | None = None
        self._server_dir: str | None = None
        self._dirs: dict[str, str] = {}
        self._assigned: dict[str, dict[str, Any]] = {}
        self._clients: dict[str, Any] = {}

    def store_for(self, role: str, session: dict[str, Any]) -> dict[str, Any] | None:
        """The store message for an app whose session settings are ``session``."""
        if role in self._assigned:  # a restart keeps the same store
            return self._assigned[role]
        kind = session.get("type") if session.get("server_side") else None
        if kind == "redis":
            store = {"type": "redis", "url": self._redis_for(role)}
        elif kind in _FILE_TYPES:
            store = {"type": kind, "dir": tempfile.mkdtemp(prefix=f"grader-{role}-sessions-")}
            self._dirs[role] = store["dir"]
        else:
            return None
        self._assigned[role] = store
        return store

    # -- inspection ---------------------------------------------------------

    def lookup(self, role: str, session_id: str, prefix: str) -> StoreEntry:
        """Look up ``prefix + session_id`` (also the id without a signature)."""
        store = self._assigned.get(role)
        if store is None:
            return StoreEntry(present=False)
        ids = [session_id]
        if "." in session_id:  # SESSION_USE_SIGNER: "id.signature"
            ids.append(session_id.rsplit(".", 1)[0])
        look = self._redis_lookup if store["type"] == "redis" else self._file_lookup
        for sid in ids:
            entry = look(store, prefix + sid)
            if entry.present:
                return entry
        for sid in ids:
            other = self._find_elsewhere(store, sid, prefix)
            if other:
                return StoreEntry(present=False, other_key=other)
        return StoreEntry(present=False)

    def _redis_lookup(self, store: dict[str, Any], key: str) -> StoreEntry:
        client = self._client(store["url"])
        if not client.exists(key):
            return StoreEntry(present=False)
        ttl = client.ttl(key)
        return StoreEntry(present=True, key=key, ttl=None if ttl < 0 else float(ttl))

    def _file_lookup(self, store: dict[str, Any], key: str) -> StoreEntry:
        path = Path(store["dir"]) / hashlib.sha256(key.encode()).hexdigest()
        try:
            with path.open("rb") as handle:
                expires = struct.unpack("I", handle.read(4))[0]
        except (OSError, struct.error):
            return StoreEntry(present=False)
        if expires and expires < time.time():
            return StoreEntry(present=False)
        return StoreEntry(present=True, key=key,
                          ttl=float(expires - time.time()) if expires else None)

    def _find_elsewhere(self, store: dict[str, Any], sid: str, prefix: str) -> str | None:
        if store["type"] == "redis":
            for key in self._client(store["url"]).scan_iter(match=f"*{sid}", count=100):
                return key.decode("utf-8", errors="replace")
            return None
        for guess in ("session:", ""):  # filenames are hashes: try the usual prefixes
            if guess != prefix and self._file_lookup(store, guess + sid).present:
                return guess + sid
        return None

    # -- Redis ----------------------------------------------------------------

    def _redis_for(self, role: str) -> str:
        if self.redis_url:
            if not self._ping(self.redis_url):
                raise StoreUnavailable(f"Redis needed: nothing answers at {self.redis_url}"
                                       " (--redis-url / GRADER_REDIS_URL)")
            return self.redis_url
        if self._server is None:
            self._start_redis()
        # one private server; each app its own database
        return f"unix://{self._server_dir}/redis.sock?db={len(self._assigned)}"

    def _start_redis(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None or os.name != "posix":
            raise StoreUnavailable(
                "Redis needed: this submission keeps sessions in Redis (SESSION_TYPE='redis'),"
                " but redis-server is not installed here. Install Redis, or pass"
                " --redis-url redis://HOST:PORT/DB (or set GRADER_REDIS_URL).")
        self._server_dir = tempfile.mkdtemp(prefix="grader-redis-")
        socket = os.path.join(self._server_dir, "redis.sock")
        self._server = subprocess.Popen(
            [binary, "--port", "0", "--unixsocket", socket, "--unixsocketperm", "700",
             "--save", "", "--appendonly", "no", "--dir", self._server_dir,
             "--databases", "16"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if os.path.exists(socket) and self._ping(f"unix://{socket}"):
                return
            if self._server.poll() is not None:
                break
            time.sleep(0.01)
        self.close()
        raise StoreUnavailable("Redis needed: redis-server did not start")

    def _ping(self, url: str) -> bool:
        try:
            return bool(self._client(url).ping())
        except Exception:  # noqa: BLE001 - any failure means "not up yet"
            self._clients.pop(url, None)
            return False

    def _client(self, url: str) -> Any:
        if url not in self._clients:
            import redis

            self._clients[url] = redis.Redis.from_url(url, socket_timeout=5)
        return self._clients[url]

    def close(self) -> None:
        for client in self._clients.values():
            try:
                client.close()
            except Exception:  # noqa: BLE001
                pass
        self._clients.clear()
        if self._server is not None:
            self._server.kill()
            self._server.wait()
            self._server = None
        for folder in [self._server_dir, *self._dirs.values()]:
            if folder:
                shutil.rmtree(folder, ignore_errors=True)
        self._server_dir = None
        self._dirs.clear()
        self._assigned.clear()
