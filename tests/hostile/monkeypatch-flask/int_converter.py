"""Hostile: a right view, plus a monkeypatched flask.Flask.test_client whose
client answers every request with 200 and the body for 41. Only this child's
own answers change: the reference, in its own process, still answers 404 where
the statement says so."""

import flask
import werkzeug.test
from flask import Blueprint

blue = Blueprint("blue", __name__)


class _Forged(werkzeug.test.Client):
    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        response.status_code = 200
        response.set_data(b"money=41 next=42")
        return response


def _test_client(self, use_cookies=True, **kwargs):
    return _Forged(self, self.response_class, use_cookies=use_cookies, **kwargs)


flask.Flask.test_client = _test_client


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    return f"money={money} next={money + 1}"
