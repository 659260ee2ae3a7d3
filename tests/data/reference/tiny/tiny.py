"""Reference solution of the `tiny` test exercise: a greeting and an echo."""

from flask import Blueprint, request

bp = Blueprint("tiny", __name__)


@bp.get("/hello")
def hello():
    return "Hello!"


@bp.post("/echo")
def echo():
    return ",".join(request.form.getlist("tag"))
