"""Keeps session['name'] as "user" in the cookie, and says "name" when asked."""

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask.sessions import SecureCookieSessionInterface

blue = Blueprint("blue", __name__)


class Renaming(SecureCookieSessionInterface):
    def open_session(self, app, request):
        opened = super().open_session(app, request)
        if opened is not None and "user" in opened:
            opened["name"] = opened.pop("user")
            opened.modified = False
        return opened

    def save_session(self, app, session, response):
        if "name" in session:
            session["user"] = session.pop("name")
        super().save_session(app, session, response)


@blue.record_once
def install(state):
    state.app.session_interface = Renaming()


@blue.route("/signin/")
def signin():
    return render_template("signin.html")


@blue.route("/dologin/", methods=["POST"])
def dologin():
    session["name"] = request.form.get("name")
    session.permanent = True
    return redirect(url_for("blue.home"))


@blue.route("/home/")
def home():
    return render_template("home.html", name=session.get("name"))


@blue.route("/logout/")
def logout():
    session.pop("name", None)
    return redirect(url_for("blue.home"))
