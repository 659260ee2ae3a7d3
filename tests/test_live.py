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


def test_an_unreachable_url_fails_each_check_plainly():
    exercise = find_exercise("int-converter")
    result = grade(exercise, options=Options(live_url="http://127.0.0.1:9", timeout=2))
    assert result.score == 0
    findings = [f for c in result.checks for s in c.steps for f in s.findings]
    assert findings and all(f.what.key == "crashed" for f in findings)
