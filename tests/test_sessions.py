"""Server-side sessions persist in a real store: Flask-Session's filesystem
backend by default, and a real Redis when the submission asks for one."""

from __future__ import annotations

import os
import stat

import pytest

from conftest import DATA, ROOT, redis_url
from grader.grading import Options, grade
from grader.results import Msg
from grader.spec import find_exercise, load_exercise

REDIS_VARIANT = ROOT / "variants" / "session-persist" / "redis-init-app"


@pytest.fixture(scope="module")
def exercise():
    return find_exercise("session-persist")


def _store_checks(result):
    return {c.name: c.outcome for c in result.checks}


def test_redis_submission_against_a_private_redis_server(exercise):
    # no URL: the grader starts redis-server on a private socket itself
    result = grade(exercise, REDIS_VARIANT, Options(redis_url=None))
    assert result.score == result.max_score, _store_checks(result)


@pytest.mark.skipif(redis_url() is None, reason="GRADER_TEST_REDIS_URL not set (.ci/run sets it)")
def test_redis_submission_against_the_machines_redis(exercise):
    result = grade(exercise, REDIS_VARIANT, Options(redis_url=redis_url() + "/7"))
    assert result.score == result.max_score, _store_checks(result)


def test_a_store_left_behind_after_logout_is_found_in_redis_too(exercise, tmp_path):
    # the learner's mistake (deleting only the cookie) must fail on Redis as on files
    source = (ROOT / "variants" / "session-persist" / "logout-deletes-cookie-only"
              / "session_persist.py").read_text(encoding="utf-8")
    redis_source = source.replace("'filesystem'", "'redis'").replace('"filesystem"', '"redis"')
    assert redis_source != source, "the variant is expected to use the filesystem backend"
    (tmp_path / "session_persist.py").write_text(redis_source, encoding="utf-8")
    result = grade(exercise, tmp_path)
    assert result.score < result.max_score
    assert "error" not in _store_checks(result).values()


def test_no_redis_anywhere_is_an_error_not_a_failure(exercise, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no redis-server to start
    result = grade(exercise, REDIS_VARIANT, Options(redis_url=None))
    assert {c.outcome for c in result.checks} == {"error"}
    assert all("Redis needed" in str(c.error.params["message"]) for c in result.checks)
    assert result.exit_code == 4


def test_a_redis_url_that_does_not_answer_is_an_error(exercise):
    result = grade(exercise, REDIS_VARIANT, Options(redis_url="redis://127.0.0.1:9/0"))
    assert {c.outcome for c in result.checks} == {"error"}
    assert result.exit_code == 4


def test_the_exercise_can_ask_the_grader_to_set_up_flask_session():
    # app.session: server — plain `session[...]` code lands in a real server-side store
    exercise = load_exercise(DATA / "server-session" / "exercises" / "server-session.yaml")
    result = grade(exercise, DATA / "server-session" / "plain")
    assert result.score == result.max_score


@pytest.mark.skipif(redis_url() is None, reason="GRADER_TEST_REDIS_URL not set (.ci/run sets it)")
def test_a_shared_redis_is_relayed_for_sessions_only(tmp_path):
    # one student's FLUSHALL, KEYS or CONFIG would reach every student's sessions (and the
    # machine's Redis): the relay passes what a session needs and refuses the rest in turn
    import redis

    from grader.stores import _Relay

    bystander = redis.Redis.from_url(redis_url() + "/7")
    bystander.set("grader-test:other-student", "kept", ex=60)
    relay = _Relay(str(tmp_path / "redis.sock"), redis_url() + "/7")
    try:
        child = redis.Redis(unix_socket_path=str(tmp_path / "redis.sock"), socket_timeout=5)
        assert child.set("grader-test:mine", "1", ex=60) and child.get("grader-test:mine") == b"1"
        assert child.ttl("grader-test:mine") > 0
        for refused in (child.flushall, lambda: child.keys("*"), lambda: child.config_get("*"),
                        lambda: child.scan(0), lambda: child.client_kill_filter(skipme=True)):
            with pytest.raises(redis.ResponseError, match="refused by the grader"):
                refused()
        pipe = child.pipeline(transaction=False)  # replies stay in order around a refusal
        pipe.get("grader-test:mine").flushdb().get("grader-test:mine")
        assert [type(r).__name__ if isinstance(r, Exception) else r
                for r in pipe.execute(raise_on_error=False)] == [b"1", "ResponseError", b"1"]
        assert bystander.get("grader-test:other-student") == b"kept"
        assert child.get("grader-test:mine") == b"1"  # the relay chose database 7 itself
    finally:
        relay.close()
        bystander.delete("grader-test:other-student", "grader-test:mine")


@pytest.mark.skipif(redis_url() is None, reason="GRADER_TEST_REDIS_URL not set (.ci/run sets it)")
@pytest.mark.parametrize("session_id", ["*", "?ther-student", "[o]ther-student", "\\*",
                                        "", ".", "t", "student"])  # suffixes of any key
def test_a_session_id_is_looked_for_as_it_is_not_as_a_pattern(tmp_path, session_id):
    # the id comes from the child's cookie: as a SCAN pattern, "*" found (and
    # the report showed) another student's session in a shared Redis
    import redis

    from grader.stores import Stores

    bystander = redis.Redis.from_url(redis_url() + "/7")
    bystander.set("hlm:other-student", "secret", ex=60)
    stores = Stores(redis_url() + "/7")
    try:
        stores.store_for("submission", {"server_side": True, "type": "redis"}, str(tmp_path))
        entry = stores.lookup("submission", session_id, "session:")
    finally:
        stores.close()
        bystander.delete("hlm:other-student")
    assert not entry.present and entry.other_key is None


@pytest.mark.skipif(redis_url() is None, reason="GRADER_TEST_REDIS_URL not set (.ci/run sets it)")
def test_what_an_app_wrote_to_a_shared_redis_is_gone_when_grading_ends(tmp_path):
    import redis

    from grader.stores import Stores

    bystander = redis.Redis.from_url(redis_url() + "/7")
    bystander.set("grader-test:other-student", "kept", ex=60)
    stores = Stores(redis_url() + "/7")
    try:
        store = stores.store_for("submission", {"server_side": True, "type": "redis"},
                                 str(tmp_path))
        child = redis.Redis.from_url(store["url"], socket_timeout=5)
        child.set("grader-test:hlm:one", "a", ex=60)
        child.setex("grader-test:hlm:two", 60, "b")
        child.close()
    finally:
        stores.close()
    assert bystander.exists("grader-test:hlm:one", "grader-test:hlm:two") == 0
    assert bystander.get("grader-test:other-student") == b"kept"
    bystander.delete("grader-test:other-student")


@pytest.mark.skipif(redis_url() is None, reason="GRADER_TEST_REDIS_URL not set (.ci/run sets it)")
@pytest.mark.parametrize("smuggled", [
    # a length Redis reads as 4 and int() as 4 too, but ending where only Redis
    # thinks it does: what follows would reach Redis as a command of its own
    b"*2\r\n$4\r\nECHO\r\n$28\r    \r\n*1\r\n$8\r\nFLUSHALL\r\n\r\n",
    b"*2\r\n$4\r\nECHO\r\n$ 28\r\n*1\r\n$8\r\nFLUSHALL\r\n12345678\r\n",
    b"FLUSHALL\r\n",  # an inline command
    b"*1\r\n$8\r\nFLUSHALL\r\n",
])
def test_nothing_gets_past_the_relay_as_another_command(tmp_path, smuggled):
    import socket

    import redis

    from grader.stores import _Relay

    bystander = redis.Redis.from_url(redis_url() + "/7")
    bystander.set("grader-test:other-student", "kept", ex=60)
    relay = _Relay(str(tmp_path / "redis.sock"), redis_url() + "/7")
    try:
        with socket.socket(socket.AF_UNIX) as child:
            child.connect(str(tmp_path / "redis.sock"))
            child.settimeout(5)
            child.sendall(smuggled)
            answer = b""
            while chunk := child.recv(4096):
                answer += chunk
                if answer.endswith(b"\r\n") and b"refused" in answer:
                    break
        assert b"+OK" not in answer
        assert bystander.get("grader-test:other-student") == b"kept"
    finally:
        relay.close()
        bystander.delete("grader-test:other-student")




@pytest.mark.skipif(redis_url() is None, reason="GRADER_TEST_REDIS_URL not set (.ci/run sets it)")
def test_the_relay_takes_so_many_connections_of_an_app_and_no_more(tmp_path):
    # ten thousand connections used up the grader's descriptors and cost other students
    # their points; each connection is a thread of the grader's and one of the Redis
    import socket

    from grader.stores import _MAX_CONNECTIONS, _Relay

    relay = _Relay(str(tmp_path / "redis.sock"), redis_url() + "/7")
    held = []
    try:
        for _ in range(_MAX_CONNECTIONS + 4):
            child = socket.socket(socket.AF_UNIX)
            child.connect(str(tmp_path / "redis.sock"))
            child.settimeout(5)
            held.append(child)
        answers = [_ping(child) for child in held]
        assert answers.count(b"+PONG\r\n") == _MAX_CONNECTIONS
        assert answers[_MAX_CONNECTIONS:] == [b""] * 4  # closed at once
    finally:
        for child in held:
            child.close()
        relay.close()


@pytest.mark.skipif(redis_url() is None, reason="GRADER_TEST_REDIS_URL not set (.ci/run sets it)")
def test_a_child_that_drips_its_commands_is_cut_off(tmp_path, monkeypatch):
    # a byte at a time, each a read of the grader's: 7-14 s of its CPU per run
    import socket
    import time

    from grader import stores

    monkeypatch.setattr(stores, "_SEND_SECONDS", 0.5)
    monkeypatch.setattr(stores, "_MAX_READS", 40)
    relay = stores._Relay(str(tmp_path / "redis.sock"), redis_url() + "/7")
    try:
        with socket.socket(socket.AF_UNIX) as slow:  # one command, slower than allowed
            slow.connect(str(tmp_path / "redis.sock"))
            slow.settimeout(5)
            started = time.monotonic()
            assert _drip(slow, b"*1\r\n$4\r\nPING\r\n", pause=0.2) == b""
            assert time.monotonic() - started < 3
        with socket.socket(socket.AF_UNIX) as fast:  # quick drips, until the reads run out
            fast.connect(str(tmp_path / "redis.sock"))
            fast.settimeout(5)
            answers = [_drip(fast, b"*1\r\n$4\r\nPING\r\n", pause=0.001) for _ in range(6)]
        assert answers[0] == b"+PONG\r\n"
        assert b"" in answers  # closed once over budget, which no new connection resets
        with _connected(tmp_path / "redis.sock") as again:
            assert _ping(again) == b""
    finally:
        relay.close()


@pytest.mark.skipif(redis_url() is None, reason="GRADER_TEST_REDIS_URL not set (.ci/run sets it)")
def test_the_relay_takes_so_many_connections_in_all(tmp_path, monkeypatch):
    # each connection costs a thread and a login; a child connecting in a loop
    # is then refused by the kernel
    import socket

    from grader import stores

    monkeypatch.setattr(stores, "_MAX_CONNECTIONS_IN_ALL", 5)
    relay = stores._Relay(str(tmp_path / "redis.sock"), redis_url() + "/7")
    try:
        for _ in range(5):
            with _connected(tmp_path / "redis.sock") as child:
                assert _ping(child) == b"+PONG\r\n"
        with socket.socket(socket.AF_UNIX) as late, pytest.raises(ConnectionRefusedError):
            late.connect(str(tmp_path / "redis.sock"))
    finally:
        relay.close()


def test_a_store_folder_the_child_swaps_for_a_link_opens_nothing_of_the_hosts(
        tmp_path, monkeypatch):
    # the child may rename the folder the grader just made in its working
    # folder and put a link to a host's folder in its place, before the
    # grader (root) opens it to the child or binds a socket in it
    import tempfile

    from grader import stores

    host = tmp_path / "host"
    host.mkdir(mode=0o700)
    host.chmod(0o700)
    workdir = tmp_path / "work"
    workdir.mkdir()
    made = tempfile.mkdtemp

    def made_then_swapped(*args, **kwargs):
        folder = made(*args, **kwargs)
        os.rename(folder, folder + "-moved")
        os.symlink(host, folder)
        return folder

    monkeypatch.setattr(tempfile, "mkdtemp", made_then_swapped)
    store = stores.Stores()
    try:
        with pytest.raises(OSError):
            store.store_for("submission", {"server_side": True, "type": "cachelib"},
                            str(workdir))
    finally:
        store.close()
    assert stat.S_IMODE(host.stat().st_mode) == 0o700
    assert list(host.iterdir()) == []


@pytest.mark.skipif(redis_url() is None, reason="GRADER_TEST_REDIS_URL not set (.ci/run sets it)")
def test_a_link_at_the_sockets_name_is_replaced_not_followed(tmp_path):
    # the child may put a link to a host's file where the grader binds its
    # socket: the grader (root) must neither chmod nor chown what it leads to
    from grader.stores import Stores

    host = tmp_path / "host-file"
    host.write_text("host")
    host.chmod(0o600)
    before = host.stat()
    workdir = tmp_path / "work"
    workdir.mkdir()
    (workdir / "redis.sock").symlink_to(host)
    stores = Stores(redis_url() + "/7")
    try:
        store = stores.store_for("submission", {"server_side": True, "type": "redis"},
                                 str(workdir))
        assert stat.S_ISSOCK((workdir / "redis.sock").lstat().st_mode)
        assert store["url"] == f"unix://{workdir / 'redis.sock'}"
    finally:
        stores.close()
    after = host.stat()
    assert (after.st_mode, after.st_uid, after.st_gid) == (before.st_mode, before.st_uid,
                                                           before.st_gid)


@pytest.mark.skipif(redis_url() is None, reason="GRADER_TEST_REDIS_URL not set (.ci/run sets it)")
def test_the_relay_passes_commands_of_one_key_and_so_many_keys(tmp_path, monkeypatch):
    # MGET of a thousand copies of a 1 MiB key: a gigabyte built in the shared
    # Redis before any reply cap; MSET's other keys were not removed at the end
    import redis

    from grader import stores

    monkeypatch.setattr(stores, "_MAX_KEYS_KEPT", 3)
    relay = stores._Relay(str(tmp_path / "redis.sock"), redis_url() + "/7")
    try:
        child = redis.Redis(unix_socket_path=str(tmp_path / "redis.sock"), socket_timeout=5)
        for refused in (lambda: child.mget(["grader-test:k"] * 1000),
                        lambda: child.mset({"grader-test:a": 1, "grader-test:b": 2}),
                        lambda: child.append("grader-test:k", "x")):
            with pytest.raises(redis.ResponseError, match="refused by the grader"):
                refused()
        for key in ("grader-test:1", "grader-test:2", "grader-test:3", "grader-test:1"):
            assert child.set(key, "v", ex=60)
        with pytest.raises(redis.ResponseError, match="too many keys"):
            child.set("grader-test:4", "v", ex=60)
        child.close()
    finally:
        relay.close()
    assert relay.written == {b"grader-test:1", b"grader-test:2", b"grader-test:3"}
    redis.Redis.from_url(redis_url() + "/7").delete(*relay.written)


@pytest.mark.skipif(redis_url() is None, reason="GRADER_TEST_REDIS_URL not set (.ci/run sets it)")
def test_the_relays_budget_counts_replies_too(tmp_path, monkeypatch):
    # a 22-byte GET of a 1 MiB value is a megabyte through the grader: a
    # budget of the child's bytes alone let through 760 GiB of replies
    import redis

    from grader import stores

    monkeypatch.setattr(stores, "_MAX_SENT", 1 << 20)
    relay = stores._Relay(str(tmp_path / "redis.sock"), redis_url() + "/7")
    child = redis.Redis(unix_socket_path=str(tmp_path / "redis.sock"), socket_timeout=5)
    try:
        child.set("grader-test:big", b"x" * 300_000, ex=60)
        with pytest.raises(redis.ConnectionError):
            for _ in range(10):  # 3 MB of replies for 220 bytes of commands
                child.get("grader-test:big")
    finally:
        child.close()
        relay.close()
        redis.Redis.from_url(redis_url() + "/7").delete("grader-test:big")


def _connected(path):
    import socket

    child = socket.socket(socket.AF_UNIX)
    child.connect(str(path))
    child.settimeout(5)
    return child


def _drip(child, command: bytes, pause: float) -> bytes:
    import time

    try:
        for byte in command:
            child.sendall(bytes([byte]))
            time.sleep(pause)
        return child.recv(100)
    except (ConnectionResetError, BrokenPipeError):
        return b""


def _ping(child) -> bytes:
    try:
        child.sendall(b"*1\r\n$4\r\nPING\r\n")
        return child.recv(100)
    except (ConnectionResetError, BrokenPipeError):  # closed by the relay
        return b""


def test_a_lone_surrogate_from_a_child_becomes_text_every_output_can_write():
    from grader.protocol import parse_message

    message = parse_message(b'{"printed": "a \\ud800 b", "pair": "\\ud83d\\ude00"}')
    assert message == {"printed": "a \\ud800 b", "pair": "\U0001f600"}
    message["printed"].encode("utf-8")


def test_a_prefix_without_its_colon_is_named_where_it_was_found(exercise):
    # filenames are hashes of the keys: the report can only name a key it guessed
    result = grade(exercise, ROOT / "variants" / "session-persist" / "prefix-without-colon")
    check = next(c for c in result.checks if c.name == "store-key-prefix")
    found = [f.actual for step in check.steps for f in step.findings]
    keys = [str(a.params["key"]) for a in found
            if isinstance(a, Msg) and a.key == "store_elsewhere"]
    assert keys and keys[0].startswith("hlm") and not keys[0].startswith("hlm:"), found
