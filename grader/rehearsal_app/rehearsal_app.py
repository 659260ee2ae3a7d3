"""The app a zygote rehearses before a batch (see :mod:`grader.rehearsal`):
ours, trusted, and doing a little of what the course's exercises do, so that
the code they run in Flask, Werkzeug, Jinja and Flask-Session has run once
before any child is forked."""

import datetime

from flask import (Blueprint, Response, abort, jsonify, make_response, redirect,
                   render_template, render_template_string, request, session, url_for)

blue = Blueprint("blue", __name__, template_folder="templates")


@blue.route("/")
def index():
    return "index"


@blue.route("/money/<int:money>/")
def money(money):
    return f"money={money} next={money + 1}"


@blue.route("/kinds/<string:word>/<path:rest>/<uuid:key>/<float:amount>/")
def kinds(word, rest, key, amount):
    return make_response(f"{word} {rest} {key} {amount}", 201)


@blue.route("/login/", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        session["name"] = request.form.get("name")
        return redirect(url_for("blue.welcome"))
    return render_template("login.html")


@blue.route("/welcome/")
def welcome():
    return render_template("welcome.html", name=session.get("name"), items=["a", "b"])


@blue.route("/logout/")
def logout():
    session.pop("name", None)
    return redirect(url_for("blue.welcome"), code=302)


@blue.route("/about/")
def about():
    return jsonify(args=request.args.get("a"), agent=request.headers.get("User-Agent"),
                   cookie=request.cookies.get("c"), address=request.remote_addr,
                   host=request.host, url=request.url, method=request.method)


@blue.route("/cookie/")
def cookie():
    response = Response("set", status=200, mimetype="text/plain")
    response.set_cookie("c", "v", max_age=60)
    response.set_cookie("d", "w", expires=datetime.datetime.now() + datetime.timedelta(days=1))
    response.delete_cookie("e")
    response.headers["X-Extra"] = "yes"
    return response


@blue.route("/abort/<int:code>/")
def aborted(code):
    abort(code)


@blue.route("/inline/")
def inline():
    return render_template_string("{{ a }}{% for i in b %}<i>{{ i }}</i>{% endfor %}", a=1, b=[2])


@blue.app_errorhandler(404)
def not_found(error):
    return "not found", 404


@blue.errorhandler(403)
def forbidden(error):
    return make_response("forbidden", 403)
