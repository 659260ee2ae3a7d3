"""Server-side session stores the grader provides, privately for each app,
and read-only inspection of what an app put there.

Each store lives in its app's own working folder, the one place a confined
child can see: a folder for the filesystem/cachelib backends, or a Unix
socket for Redis. Behind the socket is a relay of the grader's, to a
``redis-server`` of the app's own or to the Redis named by ``--redis-url`` /
``GRADER_REDIS_URL`` (a confined child has no network). Lives in the trusted
parent; what it reads of a stored session is decoded as data only
(``sessions``: no class but a few value types is ever unpickled).

The child can write its folder, so what stands there is the child's: it may
put a server of its own at the socket's name, or a link where the grader
makes something. The parent therefore never looks through the socket, and
never lets a chmod of root's follow a name in that folder. It reaches the
Redis over TCP, where a confined child cannot go, and every look has a
timeout and a bound, so a store that answers nonsense or nothing costs that
app its points and nobody else anything. The relay passes only the commands
a session needs (no FLUSHALL, no SCAN of other students' sessions, no CLIENT,
CONFIG or SHUTDOWN), within a budget, and logs in itself: the child never
sees a password.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import stat
import struct
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import sessions
from .errors import StoreUnavailable
from .leftovers import SERVER_PID, make_folder

__all__ = ["StoreEntry", "Stores"]

_FILE_TYPES = ("filesystem", "cachelib")
#: what Flask-Session makes a session id of (secrets.token_urlsafe), long
#: enough that no other key ends in it by chance
_SESSION_ID = re.compile(r"[A-Za-z0-9_-]{16,256}")
#: what a SCAN pattern reads as a wildcard: a session id is the child's to
#: choose, and "*" would find every other student's session in a shared Redis
_GLOB = re.compile(r"[*?\[\]\\]")
#: how far the parent looks for a session stored under another prefix
SCAN_PAGES, SCAN_SECONDS = 1000, 2.0
#: an app's own redis-server: enough for sessions, not enough to hurt the machine
REDIS_MEMORY = "64mb"


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
            # a new folder of a name the child cannot guess: "sessions" may
            # already be the child's link to a folder of the host's
            folder = tempfile.mkdtemp(prefix="sessions-", dir=workdir)
            _open_to_all(folder)  # a confined child runs as another user
            store = {"type": kind, "dir": folder}
        else:
            return None
        self._assigned[role] = store
        return store

    # -- inspection ---------------------------------------------------------

    def has_store(self, role: str) -> bool:
        """Whether the grader gave this app a store (it did not for a backend
        it does not provide)."""
        return role in self._assigned

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
            # only an id that is one: as a suffix, "" or "a" would name any
            # key of the store, another student's in a shared Redis
            other = elsewhere(sid) if _SESSION_ID.fullmatch(sid) else None
            if other:
                return StoreEntry(present=False, other_key=other)
        return StoreEntry(present=False)

    @staticmethod
    def _redis_lookup(client: Any, key: str) -> StoreEntry:
        import redis

        try:
            if not client.exists(key):
                return StoreEntry(present=False)
            ttl = client.ttl(key)
        except (redis.RedisError, OSError, ValueError):  # the app broke its own store
            return StoreEntry(present=False)
        if not isinstance(ttl, int):
            return StoreEntry(present=True, key=key)
        return StoreEntry(present=True, key=key, ttl=None if ttl < 0 else float(ttl))

    @staticmethod
    def _redis_elsewhere(client: Any, sid: str) -> str | None:
        import redis

        cursor, deadline = 0, time.monotonic() + SCAN_SECONDS
        try:
            for _ in range(SCAN_PAGES):  # a store that always says "more" is not waited for
                cursor, keys = client.scan(cursor, match="*" + _GLOB.sub(r"\\\g<0>", sid),
                                           count=1000)
                if keys:
                    return bytes(keys[0]).decode("utf-8", errors="replace")
                if not cursor or time.monotonic() > deadline:
                    return None
        except (redis.RedisError, OSError, ValueError, TypeError):
            return None
        return None

    def stored(self, role: str, key: str) -> tuple[bytes, bool] | None:
        """What the app's store holds under ``key`` (at most ``limit + 1``
        bytes, so a larger entry shows as too large), and whether it is a
        pickle (cachelib's files) rather than msgpack (Flask-Session's Redis)."""
        store, limit = self._assigned.get(role), sessions.MAX_BYTES
        if store is None:
            return None
        if store["type"] != "redis":
            read = _file_entry(store["dir"], key, limit + 1)
            return None if read is None else (read[1], True)
        import redis

        try:
            data = self._client(self._inspect_urls[role]).getrange(key, 0, limit)
        except (redis.RedisError, OSError, ValueError):  # not a string: not Flask-Session's
            return None
        return (bytes(data), False) if isinstance(data, bytes) else None

    @staticmethod
    def _file_lookup(folder: str, key: str) -> StoreEntry:
        read = _file_entry(folder, key, 0)
        if read is None:
            return StoreEntry(present=False)
        expires = read[0]
        return StoreEntry(present=True, key=key,
                          ttl=float(expires - time.time()) if expires else None)

    def _file_elsewhere(self, folder: str, sid: str, prefix: str) -> str | None:
        # filenames are hashes: try the usual prefixes, and the one asked for
        # with its colon left out or doubled ('hlm' for 'hlm:')
        guesses = dict.fromkeys(("session:", "", prefix.rstrip(":"), prefix + ":"))
        for guess in guesses:
            if guess != prefix and self._file_lookup(folder, guess + sid).present:
                return guess + sid
        return None

    # -- Redis ----------------------------------------------------------------

    def _redis_for(self, role: str, workdir: str) -> str:
        if self.redis_url and not self._ping(self.redis_url):
            raise StoreUnavailable(f"Redis needed: nothing answers at {self.redis_url}"
                                   " (--redis-url / GRADER_REDIS_URL)")
        # the parent's own way in: the shared Redis, or the app's own server
        # over TCP on 127.0.0.1, where a confined child cannot go
        url = self.redis_url or self._start_redis()
        self._inspect_urls[role] = url
        sock = os.path.join(workdir, "redis.sock")
        self._relays.append(_Relay(sock, url))  # the child's way in
        return f"unix://{sock}"

    def _start_redis(self) -> str:
        """Start a redis-server for one app, its files in a scratch folder of
        its own, listening on a TCP port of 127.0.0.1 (returned as a URL)."""
        binary = shutil.which("redis-server")
        if binary is None or os.name != "posix":
            raise StoreUnavailable(
                "Redis needed: this submission keeps sessions in Redis (SESSION_TYPE='redis'),"
                " but redis-server is not installed here. Install Redis, or pass"
                " --redis-url redis://HOST:PORT/DB (or set GRADER_REDIS_URL).")
        scratch = make_folder("redis")
        self._scratch.append(scratch)
        for _attempt in range(3):  # the free port may be taken before the server binds it
            port = _free_port()
            server = subprocess.Popen(
                [binary, "--port", str(port), "--bind", "127.0.0.1",
                 "--save", "", "--appendonly", "no",
                 "--dir", scratch, "--maxmemory", REDIS_MEMORY,
                 "--maxmemory-policy", "noeviction",
                 # what maxmemory does not count: replies a client leaves unread,
                 # commands it leaves unfinished, and its connections
                 "--client-output-buffer-limit", "normal 16mb 8mb 5",
                 "--client-query-buffer-limit", "4mb", "--maxclients", "64"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self._servers.append(server)
            # a grader killed with SIGKILL cannot stop it: the next one will
            Path(scratch, SERVER_PID).write_text(str(server.pid), encoding="ascii")
            url = f"redis://127.0.0.1:{port}/0"
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and server.poll() is None:
                if self._ping(url):
                    return url
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
        for relay in self._relays:
            relay.close()
            self._forget(relay.written)
        for client in self._clients.values():
            try:
                client.close()
            except Exception:  # noqa: BLE001
                pass
        self._clients.clear()
        for server in self._servers:
            server.kill()
            server.wait()
        for folder in self._scratch:
            shutil.rmtree(folder, ignore_errors=True)
        self._relays, self._servers, self._scratch = [], [], []
        self._assigned.clear()


    def _forget(self, keys: set[bytes]) -> None:
        """Remove from the shared Redis what an app wrote there: nobody
        reads a graded app's sessions again."""
        import redis

        if not keys or not self.redis_url:
            return
        ordered = sorted(keys)
        try:
            client = self._client(self.redis_url)
            for start in range(0, len(ordered), 500):
                client.delete(*ordered[start:start + 500])
        except (redis.RedisError, OSError):
            pass


def _open_to_all(folder: str) -> None:
    """chmod 777, through a descriptor opened without following a link: the
    child may have put one in the folder's place."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_NOFOLLOW", 0))
    try:
        os.fchmod(fd, 0o777)
    finally:
        os.close(fd)


def _file_entry(folder: str, key: str, limit: int) -> tuple[int, bytes] | None:
    """A cachelib file's expiry and up to ``limit`` bytes of its pickle;
    ``None`` if there is no such entry, or it has expired."""
    path = Path(folder) / hashlib.sha256(key.encode()).hexdigest()
    try:  # the child can write this folder: a link or a FIFO may stand there
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None
            expires = struct.unpack("I", handle.read(4))[0]
            data = handle.read(limit) if limit else b""
    except (OSError, struct.error):
        return None
    if expires and expires < time.time():
        return None
    return expires, data


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


#: what Flask-Session and a student's own session code may ask a shared Redis
#: (redis-py's CLIENT SETINFO on connecting is refused; it ignores that)
#: (a key each: no MGET, whose thousand copies of a 1 MiB key the Redis would
#: build into one reply of a gigabyte before the relay refused it; no MSET
#: or APPEND, whose keys or values would outgrow what the relay counts)
ALLOWED_COMMANDS = frozenset(
    b"GET SET SETEX PSETEX SETNX GETEX GETDEL GETSET DEL UNLINK EXISTS EXPIRE "
    b"PEXPIRE EXPIREAT PEXPIREAT PERSIST TTL PTTL TYPE INCR INCRBY DECR DECRBY "
    b"STRLEN PING ECHO".split())
#: a refusal worded as Redis words a command it does not know: clients then
#: fall back as they should (redis-py's HELLO 3 to RESP2, CLIENT SETINFO ignored)
_REFUSED = (b"-ERR unknown command (refused by the grader: a session needs only GET, SET, DEL, "
            b"EXPIRE and the like)\r\n")
_TOO_MANY_KEYS = b"-ERR too many keys (refused by the grader: a session needs one or two)\r\n"
#: one command or reply; sessions are a few hundred bytes
_MAX_COMMAND = 1 << 20
#: what one app's commands and their replies may come to in all (its sessions,
#: many times over)
_MAX_SENT = 16 << 20
#: the reads (of the child's commands and of their replies) one app may cost
#: the grader in all: a command dripped a byte at a time costs a read per byte
_MAX_READS = 100_000
#: the commands that may make a key, whose keys a relay removes at the end
_WRITES = frozenset(b"SET SETEX PSETEX SETNX GETSET INCR INCRBY DECR DECRBY".split())
#: the most keys an app may make (a session needs one or two), so that the
#: relay can remove them all
_MAX_KEYS_KEPT = 4096
#: an app's connections at once (a pool of redis-py's holds a few), and in all
_MAX_CONNECTIONS = 16
_MAX_CONNECTIONS_IN_ALL = 256
#: a connection idle this long is closed; a command, or a reply, once begun
#: must be whole within this long; a child that stops reading is cut off
_SEND_SECONDS = 5


class _Relay:
    """Relays a Unix socket to a TCP Redis, for a child with no network:
    logs in and selects the database itself, then passes the
    child's commands on one at a time, each whole and strictly formed and
    one a session needs, and each reply back before the next: Redis never
    holds more for this child than one reply, and the grader never more
    than one command per connection."""

    def __init__(self, path: str, url: str) -> None:
        parts = urlsplit(url)
        self.address = (parts.hostname or "127.0.0.1", parts.port or 6379)
        self._login = _login_commands(parts.username, parts.password,
                                      parts.path.strip("/") or "0")
        self._listener = _listen_for_child(path)
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        self._connections = 0
        self._budget = _Budget()
        #: the keys the child wrote, removed when grading is done
        self.written: set[bytes] = set()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        for _ in range(_MAX_CONNECTIONS_IN_ALL):
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                full = self._connections >= _MAX_CONNECTIONS
                self._connections += 0 if full else 1
            if full:
                client.close()
                continue
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()
        # no more: a child that connects in a loop is refused by the kernel,
        # not by a thread of the grader's
        self._listener.close()

    def _serve(self, client: socket.socket) -> None:
        upstream = None
        try:
            upstream = socket.create_connection(self.address, timeout=5)
            _log_in(upstream, self._login)
            self._open += [client, upstream]
            client.settimeout(_SEND_SECONDS)
            upstream.settimeout(_SEND_SECONDS)
            # replies count too: a 22-byte GET of a 1 MiB value is a megabyte
            # the grader copies, and a hundred thousand of them fit 16 MiB
            commands, replies = _Reader(client, self._budget), _Reader(upstream, self._budget)
            while (command := commands.command()) is not None:
                head, raw = command
                name = head[0].upper()
                if name not in ALLOWED_COMMANDS:
                    client.sendall(_REFUSED)
                    continue
                if name in _WRITES and len(head) > 1 and not self._remember(head[1]):
                    client.sendall(_TOO_MANY_KEYS)
                    continue
                upstream.sendall(raw)
                client.sendall(replies.reply())
        except (OSError, ValueError):
            pass
        finally:
            _shut(client, *([upstream] if upstream else []))
            with self._lock:
                self._connections -= 1

    def _remember(self, key: bytes) -> bool:
        """Note a key the child writes; False if it may make no more."""
        with self._lock:
            if key not in self.written and len(self.written) >= _MAX_KEYS_KEPT:
                return False
            self.written.add(key)
            return True

    def close(self) -> None:
        self._listener.close()
        for end in self._open:
            try:
                end.close()
            except OSError:
                pass


def _listen_for_child(path: str) -> socket.socket:
    """A socket at ``path``, in the child's working folder, that the child's
    user may connect to. Made its user's by ``lchown``, never opened to all
    by a chmod: the child may have put a link at ``path`` since the bind,
    and a chmod of root's would follow it to a file of the host's."""
    try:
        os.unlink(path)  # left by a child before a restart, or put there
    except FileNotFoundError:
        pass
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)  # a link at path: EADDRINUSE, never followed
    if os.geteuid() == 0:
        folder = os.stat(os.path.dirname(path))
        os.lchown(path, folder.st_uid, folder.st_gid)
    listener.listen(16)
    return listener


def _login_commands(user: str | None, password: str | None, db: str) -> list[bytes]:
    commands = []
    if password is not None:
        commands.append(_command(b"AUTH", *([user.encode()] if user else []), password.encode()))
    if db != "0":
        commands.append(_command(b"SELECT", db.encode()))
    return commands


def _log_in(upstream: socket.socket, commands: list[bytes]) -> None:
    """Send the login before any of the child's bytes; each reply is one line."""
    reader = _Reader(upstream)
    for command in commands:
        upstream.sendall(command)
        reply = reader.reply()
        if not reply.startswith(b"+"):
            raise OSError(f"the Redis refused the grader's login: {reply[:80]!r}")


def _command(*args: bytes) -> bytes:
    return b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in args)


_COUNT = re.compile(rb"\*([0-9]{1,5})\r\n")
_LENGTH = re.compile(rb"\$([0-9]{1,7})\r\n")
_LINE = re.compile(rb"([+\-:])[^\r\n]{0,4096}\r\n")
_BULK_OR_ARRAY = re.compile(rb"([$*])(-1|[0-9]{1,7})\r\n")


class _Budget:
    """What one app's connections to the relay may cost the grader in all."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._bytes = self._reads = 0

    def spend(self, size: int) -> None:
        """Count one read of ``size`` bytes; ValueError once over budget."""
        with self._lock:
            self._bytes += size
            self._reads += 1
            if self._bytes > _MAX_SENT or self._reads > _MAX_READS:
                raise ValueError("over budget")


class _Reader:
    """RESP read strictly, as Redis itself reads it: a length is digits and
    nothing else, so no byte can be read as part of one thing here and of
    another there (``$4\r   \r\n``). ValueError on anything else, on a
    command or reply not whole within ``_SEND_SECONDS`` of its first byte, and
    once the ``budget`` (the child's side has one) is spent."""

    def __init__(self, sock: socket.socket, budget: _Budget | None = None) -> None:
        self._sock = sock
        self._budget = budget
        self._buffer = bytearray()
        self._deadline: float | None = None

    def _need(self, size: int) -> bool:
        while len(self._buffer) < size:
            if size > _MAX_COMMAND + 64:
                raise ValueError("too long")
            if self._deadline is not None:
                left = self._deadline - time.monotonic()
                if left <= 0:
                    raise ValueError("too slow")
                self._sock.settimeout(min(left, _SEND_SECONDS))
            data = self._sock.recv(65536)
            if not data:
                return False
            if self._budget is not None:
                self._budget.spend(len(data))
            self._buffer += data
        return True

    def _begin(self) -> bool:
        """Wait (idle) for the first byte of the next command or reply."""
        self._deadline = None
        self._sock.settimeout(_SEND_SECONDS)
        if not self._need(1):
            return False
        self._deadline = time.monotonic() + _SEND_SECONDS
        return True

    def _match(self, pattern: re.Pattern, at: int) -> re.Match | None:
        """``pattern`` at ``at``, reading more until it can tell."""
        while True:
            found = pattern.match(self._buffer, at)
            if found is not None:
                return found
            if b"\n" in self._buffer[at:at + 4200] or len(self._buffer) - at > 4200:
                raise ValueError("not RESP")
            if not self._need(len(self._buffer) + 1):
                return None

    def _take(self, size: int) -> bytes:
        taken = bytes(self._buffer[:size])
        del self._buffer[:size]
        return taken

    def command(self) -> tuple[list[bytes], bytes] | None:
        """The next command: its name and first argument (the key, for most)
        and its bytes; None when the child is done."""
        if not self._begin():
            return None
        count = self._match(_COUNT, 0)
        if count is None or not 1 <= int(count[1]) <= 1024:
            raise ValueError("not a command")
        at, head = count.end(), []
        for index in range(int(count[1])):
            length = self._match(_LENGTH, at)
            if length is None:
                raise ValueError("cut short")
            start, at = length.end(), length.end() + int(length[1]) + 2
            if at > _MAX_COMMAND or not self._need(at):
                raise ValueError("too long")
            if self._buffer[at - 2:at] != b"\r\n":
                raise ValueError("not RESP")
            if index < 2:
                head.append(bytes(self._buffer[start:at - 2]))
        return head, self._take(at)

    def reply(self) -> bytes:
        """One whole reply (arrays of bulk strings included)."""
        if not self._begin():
            raise ValueError("cut short")
        end = self._reply_end(0, depth=0)
        return self._take(end)

    def _reply_end(self, at: int, depth: int) -> int:
        if depth > 8 or not self._need(at + 1):
            raise ValueError("cut short")
        line = self._match(_LINE, at) if self._buffer[at:at + 1] in b"+-:" else None
        if line is not None:
            return line.end()
        head = self._match(_BULK_OR_ARRAY, at)
        if head is None:
            raise ValueError("not RESP")
        size, at = int(head[2]), head.end()
        if head[1] == b"$":
            if size < 0:
                return at
            if not self._need(at + size + 2):
                raise ValueError("cut short")
            return at + size + 2
        for _ in range(max(size, 0)):
            at = self._reply_end(at, depth + 1)
        return at


def _shut(*ends: socket.socket) -> None:
    for end in ends:
        try:
            end.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
