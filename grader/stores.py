"""Server-side session stores the grader provides, privately for each app,
and read-only inspection of what an app put there.

Each store lives in its app's own working folder, the one place a confined
child can see: a folder for the filesystem/cachelib backends, or a Unix
socket for Redis, either a ``redis-server`` of the app's own or a relay to
the Redis named by ``--redis-url`` / ``GRADER_REDIS_URL`` (a confined child
has no network, so it reaches that Redis only through the relay). Lives in
the trusted parent; nothing read from a store is ever unpickled.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import stat
import struct
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import StoreUnavailable
from .leftovers import make_folder

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
        self._servers: list[subprocess.Popen] = []
        self._relays: list[_Relay] = []
        self._assigned: dict[str, dict[str, Any]] = {}
        #: role → the URL the parent itself uses to look into that app's Redis
        self._inspect_urls: dict[str, str] = {}
        self._clients: dict[str, Any] = {}
        self._scratch: list[str] = []

    def store_for(self, role: str, session: dict[str, Any], workdir: str) -> dict[str, Any] | None:
        """The store message for an app whose session settings are ``session``."""
        if role in self._assigned:  # a restart keeps the same store
            return self._assigned[role]
        kind = session.get("type") if session.get("server_side") else None
        if kind == "redis":
            store = {"type": "redis", "url": self._redis_for(role, workdir)}
        elif kind in _FILE_TYPES:
            folder = os.path.join(workdir, "sessions")
            os.makedirs(folder, exist_ok=True)
            os.chmod(folder, 0o777)  # a confined child runs as another user
            store = {"type": kind, "dir": folder}
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
        if store["type"] == "redis":
            client = self._client(self._inspect_urls[role])
            look = lambda key: self._redis_lookup(client, key)  # noqa: E731
            elsewhere = lambda sid: self._redis_elsewhere(client, sid)  # noqa: E731
        else:
            look = lambda key: self._file_lookup(store["dir"], key)  # noqa: E731
            elsewhere = lambda sid: self._file_elsewhere(store["dir"], sid, prefix)  # noqa: E731
        for sid in ids:
            entry = look(prefix + sid)
            if entry.present:
                return entry
        for sid in ids:
            other = elsewhere(sid)
            if other:
                return StoreEntry(present=False, other_key=other)
        return StoreEntry(present=False)

    @staticmethod
    def _redis_lookup(client: Any, key: str) -> StoreEntry:
        if not client.exists(key):
            return StoreEntry(present=False)
        ttl = client.ttl(key)
        return StoreEntry(present=True, key=key, ttl=None if ttl < 0 else float(ttl))

    @staticmethod
    def _redis_elsewhere(client: Any, sid: str) -> str | None:
        for key in client.scan_iter(match=f"*{sid}", count=100):
            return key.decode("utf-8", errors="replace")
        return None

    @staticmethod
    def _file_lookup(folder: str, key: str) -> StoreEntry:
        path = Path(folder) / hashlib.sha256(key.encode()).hexdigest()
        try:  # the child can write this folder: a link or a FIFO may stand there
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
            with os.fdopen(fd, "rb") as handle:
                if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                    return StoreEntry(present=False)
                expires = struct.unpack("I", handle.read(4))[0]
        except (OSError, struct.error):
            return StoreEntry(present=False)
        if expires and expires < time.time():
            return StoreEntry(present=False)
        return StoreEntry(present=True, key=key,
                          ttl=float(expires - time.time()) if expires else None)

    def _file_elsewhere(self, folder: str, sid: str, prefix: str) -> str | None:
        for guess in ("session:", ""):  # filenames are hashes: try the usual prefixes
            if guess != prefix and self._file_lookup(folder, guess + sid).present:
                return guess + sid
        return None

    # -- Redis ----------------------------------------------------------------

    def _redis_for(self, role: str, workdir: str) -> str:
        sock = os.path.join(workdir, "redis.sock")
        if self.redis_url:
            if not self._ping(self.redis_url):
                raise StoreUnavailable(f"Redis needed: nothing answers at {self.redis_url}"
                                       " (--redis-url / GRADER_REDIS_URL)")
            parts = urlsplit(self.redis_url)
            self._relays.append(_Relay(sock, parts.hostname or "127.0.0.1", parts.port or 6379))
            self._inspect_urls[role] = self.redis_url
            db = parts.path.strip("/") or "0"
            auth = f"{parts.netloc.rpartition('@')[0]}@" if "@" in parts.netloc else ""
            return f"unix://{auth}{sock}?db={db}"
        self._start_redis(sock)
        self._inspect_urls[role] = f"unix://{sock}"
        return f"unix://{sock}"

    def _start_redis(self, sock: str) -> None:
        binary = shutil.which("redis-server")
        if binary is None or os.name != "posix":
            raise StoreUnavailable(
                "Redis needed: this submission keeps sessions in Redis (SESSION_TYPE='redis'),"
                " but redis-server is not installed here. Install Redis, or pass"
                " --redis-url redis://HOST:PORT/DB (or set GRADER_REDIS_URL).")
        scratch = make_folder("redis")
        self._scratch.append(scratch)
        server = subprocess.Popen(
            [binary, "--port", "0", "--unixsocket", sock, "--unixsocketperm", "777",
             "--save", "", "--appendonly", "no", "--dir", scratch],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._servers.append(server)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and server.poll() is None:
            if os.path.exists(sock) and self._ping(f"unix://{sock}"):
                return
            time.sleep(0.005)
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
        for relay in self._relays:
            relay.close()
        for server in self._servers:
            server.kill()
            server.wait()
        for folder in self._scratch:
            shutil.rmtree(folder, ignore_errors=True)
        self._relays, self._servers, self._scratch = [], [], []
        self._assigned.clear()


class _Relay:
    """Relays a Unix socket to a TCP Redis, for a child with no network."""

    def __init__(self, path: str, host: str, port: int) -> None:
        self.address = (host, port)
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(path)
        os.chmod(path, 0o777)
        self._listener.listen(16)
        self._open: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
                upstream = socket.create_connection(self.address, timeout=5)
            except OSError:
                return
            upstream.settimeout(None)
            self._open += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self._listener.close()
        for end in self._open:
            try:
                end.close()
            except OSError:
                pass
