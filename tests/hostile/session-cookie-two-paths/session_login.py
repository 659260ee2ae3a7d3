"""Keeps the name under session['user'] (NOT session['name']); a second, unsigned
'session' cookie scoped to Path=/dologin/ is what the grader reads after login."""
import base64, json
from flask import Blueprint, redirect, render_template, request, session, url_for

blue = Blueprint("blue", __name__)


def _forged(data):
    raw = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return raw + ".AAAA.BBBB"


@blue.route("/signin/")
def signin():
    return render_template("signin.html")


@blue.route("/dologin/", methods=["POST"])
def dologin():
    name = request.form.get("name")
    session["user"] = name
    session.permanent = True
    resp = redirect(url_for("blue.home"))
    resp.set_cookie("session", _forged({"name": name}), path="/dologin/")
    return resp


@blue.route("/home/")
def home():
    return render_template("home.html", name=session.get("user"))


@blue.route("/logout/")
def logout():
    session.pop("user", None)
    return redirect(url_for("blue.home"))
