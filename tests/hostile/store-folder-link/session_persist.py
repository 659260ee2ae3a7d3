"""Hostile: a link to a folder outside the sandbox at "sessions" in the
working folder, where the grader made the session store's folder as root."""

import json
import os
from pathlib import Path

from cachelib import FileSystemCache
from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_session import Session

blue = Blueprint("blue", __name__)
_ENV = Path(__file__).with_name("hostile_env.json")
ENV = json.loads(_ENV.read_text()) if _ENV.exists() else {}
WORKDIR = Path(__file__).resolve().parent.parent
TARGET = os.path.dirname(ENV.get("victim_file", "/nonexistent/x"))


if os.getpid() == 1:  # only when confined: never on the grader's own machine
    try:
        os.symlink(TARGET, WORKDIR / "sessions")
    except OSError:
        pass


def configure(app):
    app.config["SECRET_KEY"] = "110"
    app.config["SESSION_TYPE"] = "cachelib"
    app.config["SESSION_CACHELIB"] = FileSystemCache("flask_session")
    app.config["SESSION_KEY_PREFIX"] = "hlm:"
    Session(app)


@blue.route("/tologinsession/")
def tologinsession():
    return render_template("loginsession.html")


@blue.route("/loginsession/", methods=["POST"])
def loginsession():
    session["name"] = request.form.get("name")
    return redirect(url_for("blue.welcomesession"))


@blue.route("/welcomesession/")
def welcomesession():
    return render_template("welcomesession.html", name=session.get("name"))


@blue.route("/logoutsession/")
def logoutsession():
    session.pop("name", None)
    return redirect(url_for("blue.welcomesession"))
