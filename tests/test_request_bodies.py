"""What a step sends reaches the app as sent: a form, or a JSON body for
``request.get_json()``, in a child and over real HTTP (``--url``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from grader.grading import Options, grade
from grader.report.text import render_text
from grader.spec import load_exercise

SPEC = """\
format: 1
id: bodies
title: {zh: 请求体, en: Request bodies}
statement: {zh: 回显 JSON。, en: Echo the JSON.}
submission: {file: bodies.py, blueprint: bp}
checks:
  - name: json-arrives
    points: 1
    hint: {zh: 用 request.get_json(), en: Use request.get_json()}
    method: POST
    path: /echo
    json: {name: 小明, tags: [a, b], n: 1.5}
    expect:
      status: 200
      body: {json: {name: 小明, tags: [a, b], n: 1.5, type: application/json}}
"""

READS_JSON = """\
from flask import Blueprint, jsonify, request

bp = Blueprint("bodies", __name__)


@bp.post("/echo")
def echo():
    return jsonify({**request.get_json(), "type": request.mimetype})
"""

#: reads the form, where a JSON body is not
READS_FORM = READS_JSON.replace("**request.get_json()", "**request.form.to_dict()")


@pytest.fixture
def exercise(tmp_path: Path):
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / "bodies.yaml").write_text(SPEC, encoding="utf-8")
    (tmp_path / "reference" / "bodies").mkdir(parents=True)
    (tmp_path / "reference" / "bodies" / "bodies.py").write_text(READS_JSON, encoding="utf-8")
    return load_exercise(tmp_path / "exercises" / "bodies.yaml")


def _submission(tmp_path: Path, source: str) -> Path:
    folder = tmp_path / "student"
    folder.mkdir(exist_ok=True)
    (folder / "bodies.py").write_text(source, encoding="utf-8")
    return folder


def test_a_json_body_reaches_get_json(exercise, tmp_path):
    assert grade(exercise, _submission(tmp_path, READS_JSON)).exit_code == 0


def test_a_view_that_reads_the_form_misses_a_json_body_and_is_told_what_was_sent(exercise,
                                                                                   tmp_path):
    result = grade(exercise, _submission(tmp_path, READS_FORM))
    assert result.exit_code == 1
    report = render_text(result, "en")
    assert 'step 1: POST /echo  JSON: {"name": "小明", "tags": ["a", "b"], "n": 1.5}' in report


def test_a_json_body_is_sent_over_http_too(exercise, tmp_path):
    serve = ("import sys; sys.path.insert(0, sys.argv[1]); from flask import Flask;"
             "from werkzeug.serving import make_server; import bodies;"
             "app = Flask('live'); app.register_blueprint(bodies.bp);"
             "server = make_server('127.0.0.1', 0, app); print(server.server_port, flush=True);"
             "server.serve_forever()")
    folder = _submission(tmp_path, READS_JSON)
    proc = subprocess.Popen([sys.executable, "-c", serve, str(folder)], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        port = proc.stdout.readline().strip()
        result = grade(exercise, options=Options(live_url=f"http://127.0.0.1:{port}"))
        assert result.exit_code == 0, render_text(result, "en")
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()


def test_the_spec_text_of_a_json_body_is_what_is_sent(exercise):
    step = exercise.checks[0].steps[0]
    assert json.loads(step.json) == {"name": "小明", "tags": ["a", "b"], "n": 1.5}
