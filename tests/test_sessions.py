"""Server-side sessions persist in a real store: Flask-Session's filesystem
backend by default, and a real Redis when the submission asks for one."""

from __future__ import annotations

import pytest

from conftest import DATA, ROOT, redis_url
from grader.grading import Options, grade
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
