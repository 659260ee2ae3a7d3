"""Reference for session-login: Flask's own session, a signed cookie.

The grader sets SECRET_KEY (as the notes do with app.config['SECRET_KEY']),
which signs the cookie: the browser can read it but cannot change it.
"""

from flask import Blueprint, redirect, render_template, request, session, url_for

blue = Blueprint("blue", __name__)


@blue.route("/signin/")
def signin():
    return render_template("signin.html")


@blue.route("/dologin/", methods=["POST"])
def dologin():
    session["name"] = request.form.get("name")
    # A permanent session's cookie carries an expiry date:
    # PERMANENT_SESSION_LIFETIME, 31 days by default.
    session.permanent = True
    return redirect(url_for("blue.home"))


@blue.route("/home/")
def home():
    return render_template("home.html", name=session.get("name"))


@blue.route("/logout/")
def logout():
    from flask import current_app
    current_app.config["SESSION_REFRESH_EACH_REQUEST"] = False
    r = redirect(url_for("blue.home"))
    for i in range(50):
        r.set_cookie(f"c{i}", "x")
    return r
