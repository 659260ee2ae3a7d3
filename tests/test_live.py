"""``grade --url``: the same checks over real HTTP against a running server
(bound to 127.0.0.1 only), the reference still in its child."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from grader.grading import Options, grade
from grader.spec import find_exercise

SERVE = """
import sys
sys.path.insert(0, sys.argv[1])
from flask import Flask
from werkzeug.serving import make_server
module = __import__(sys.argv[2])
app = Flask(sys.argv[2], root_path=sys.argv[1])
app.config["SECRET_KEY"] = "live"
configure = getattr(module, "configure", None)
if configure:
    configure(app)
app.register_blueprint(module.blue)
server = make_server("127.0.0.1", 0, app)
print(server.server_port, flush=True)
server.serve_forever()
"""


@pytest.fixture
def serve(tmp_path):
    servers = []

    def start(folder: Path, module: str) -> str:
        # its own working folder: a filesystem session store lands there
        proc = subprocess.Popen([sys.executable, "-c", SERVE, str(folder), module],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                cwd=tmp_path)
        servers.append(proc)
        port = proc.stdout.readline().strip()
        assert port, "the test server did not start"
        return f"http://127.0.0.1:{port}"

    yield start
    for proc in servers:
        proc.kill()
        proc.wait()
        proc.stdout.close()


def test_a_correct_live_app_earns_full_marks(serve):
    exercise = find_exercise("cookie-login")
    url = serve(exercise.reference, "cookie_login")
    result = grade(exercise, options=Options(live_url=url))
    assert result.score == result.max_score
    assert result.exit_code == 0


def test_a_wrong_live_app_loses_the_same_points_as_embedded(serve):
    exercise = find_exercise("int-converter")
    folder = ROOT / "variants" / "int-converter" / "missing-parameter"
    live = grade(exercise, options=Options(live_url=serve(folder, "int_converter")))
    embedded = grade(exercise, folder)
    assert [c.outcome for c in live.checks] == [c.outcome for c in embedded.checks]
    assert live.score < live.max_score


def test_a_session_in_a_signed_cookie_is_read_under_url_too(serve):
    # the grader reads Flask's cookie itself: no need of the app's process
    exercise = find_exercise("session-login")
    folder = ROOT / "variants" / "session-login" / "name-under-another-key"
    live = grade(exercise, options=Options(live_url=serve(folder, "session_login")))
    assert {c.name: c.outcome for c in live.checks if c.outcome != "passed"} \
        == {"name-kept-in-session": "failed"}


def test_checks_that_need_the_process_are_not_graded_rather_than_failed(serve):
    exercise = find_exercise("session-persist")
    url = serve(exercise.reference, "session_persist")
    result = grade(exercise, options=Options(live_url=url))
    errors = [c for c in result.checks if c.outcome == "error"]
    assert errors, "restart and store checks cannot be done over HTTP"
    assert {c.error.key for c in errors} <= {"cannot_restart_live", "cannot_inspect_live"}
    # what --url cannot do is said once, without steps whose answers say nothing more
    assert all(c.steps == () for c in errors)
    assert result.count("failed") == 0
    assert result.exit_code == 4


def test_a_step_to_the_graders_probe_views_is_not_graded_over_url(serve):
    # app.probes adds views in the grader's own app; a running server has none
    exercise = find_exercise("abort-errors")
    result = grade(exercise, options=Options(live_url=serve(exercise.reference, "abort_errors")))
    errors = {c.name: c.error.key for c in result.checks if c.outcome == "error"}
    assert errors == {"abort-403-custom-page": "cannot_probe_live",
                      "server-error-500-page": "cannot_probe_live"}
    assert result.count("failed") == 0


def test_a_500_over_url_sends_the_student_to_the_servers_console(serve):
    # a child's traceback comes back with its answer; a running server keeps it
    exercise = find_exercise("session-login")
    folder = ROOT / "variants" / "session-login" / "home-key-error"
    live = grade(exercise, options=Options(live_url=serve(folder, "session_login")))
    assert "live_server_error" in [w.key for w in live.warnings]
    embedded = grade(exercise, folder)
    assert "live_server_error" not in [w.key for w in embedded.warnings]
    right = grade(exercise, options=Options(live_url=serve(exercise.reference, "session_login")))
    assert "live_server_error" not in [w.key for w in right.warnings]


def test_an_unreachable_url_fails_each_check_plainly():
    exercise = find_exercise("int-converter")
    result = grade(exercise, options=Options(live_url="http://127.0.0.1:9", timeout=2))
    assert result.score == 0
    findings = [f for c in result.checks for s in c.steps for f in s.findings]
    assert findings and all(f.what.key == "crashed" for f in findings)


@pytest.fixture
def raw_server():
    """A server that answers every connection with ``reply`` (bytes, or a
    list of parts sent ``gap`` seconds apart), then closes it: a broken or
    stalling one."""
    import socket
    import threading

    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def start(reply: bytes | list[bytes], gap: float = 0.0) -> str:
        parts = [reply] if isinstance(reply, bytes) else reply

        def answer(conn: socket.socket) -> None:
            with conn:
                conn.recv(65536)
                for part in parts:
                    if stop.wait(gap):
                        return
                    conn.sendall(part)

        def accept() -> None:
            while not stop.is_set():
                try:
                    conn, _ = listener.accept()
                except OSError:
                    return
                threading.Thread(target=answer, args=(conn,), daemon=True).start()

        threading.Thread(target=accept, daemon=True).start()
        return f"http://127.0.0.1:{listener.getsockname()[1]}"

    yield start
    stop.set()
    listener.close()


def _ask(url: str, timeout: float = 1.0):
    from grader.http import Request
    from grader.live import LiveApp

    app = LiveApp(url, timeout)
    assert app.submit(Request("GET", "/index/")) is None
    return app.collect()


def test_a_server_that_drips_its_answer_is_timed_out_as_a_whole(raw_server):
    # red team round 8: a byte every half second never tripped requests' own
    # timeout (it bounds each read), and the grader waited for days
    import time

    from grader.sandbox import Fault

    url = raw_server([b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"] + [b"x"] * 1000,
                     gap=0.2)
    started = time.monotonic()
    fault = _ask(url, timeout=1.0)
    assert isinstance(fault, Fault) and fault.kind == "timeout"
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("reply", [
    b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort",  # ends before its length
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",  # no chunk size
    b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 9\r\n\r\nnot gzip!",
])
def test_an_answer_that_is_not_whole_http_is_a_plain_fault(raw_server, reply):
    # each of these escaped as a traceback: no report, and exit 1 as if graded
    from grader.sandbox import Fault

    fault = _ask(raw_server(reply))
    assert isinstance(fault, Fault) and fault.kind == "crashed"
    assert fault.message.key == "fault_bad_answer"


def test_a_live_servers_headers_are_kept_as_a_childs_are(raw_server):
    from grader.protocol import MAX_HEADER_VALUE

    big = b"X-Big: " + b"a" * 60000 + b"\r\n"
    response = _ask(raw_server(b"HTTP/1.1 200 OK\r\n" + big * 3 +
                               b"Content-Length: 2\r\n\r\nok"))
    assert response.body == b"ok"
    assert all(len(value) <= MAX_HEADER_VALUE for _, value in response.headers)
