from flask import Blueprint, redirect, render_template, request, url_for

blue = Blueprint("blue", __name__)


@blue.route("/signin/")
def signin():
    return render_template("signin.html")


@blue.route("/dologin/", methods=["POST"])
def dologin():
    response = redirect(url_for("blue.home"))
    response.set_cookie("name", request.form.get("name"), max_age=31 * 24 * 3600)
    return response


@blue.route("/home/")
def home():
    return render_template("home.html", name=request.cookies.get("name"))


@blue.route("/logout/")
def logout():
    response = redirect(url_for("blue.home"))
    response.delete_cookie("name")
    return response
