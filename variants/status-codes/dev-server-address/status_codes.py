"""Redirects to the address the student saw in the browser while developing."""

from flask import Blueprint, abort, redirect

blue = Blueprint("blue", __name__)

USERS = {1: "user 1"}


@blue.route("/index/")
def index():
    return "首页"


@blue.route("/new/")
def new():
    return "新地址"


# 301 Moved Permanently: browsers and search engines remember the new address.
@blue.route("/old/")
def old():
    return redirect("http://127.0.0.1:5000/new/", code=301)


# 302 Found: a temporary detour, so clients keep asking /later/.
@blue.route("/later/")
def later():
    return redirect("http://127.0.0.1:5000/index/")


@blue.route("/admin/")
def admin():
    abort(403)


@blue.route("/user/<int:uid>/")
def user(uid):
    if uid not in USERS:
        abort(404)
    return USERS[uid]


# Only POST: Flask answers any other method with 405 by itself.
@blue.route("/login/", methods=["POST"])
def login():
    return "登录成功"


# A real bug, as the notes say 500 means ("your code is wrong"): Flask turns
# the uncaught ZeroDivisionError into 500 Internal Server Error. abort(500)
# gives the same status.
@blue.route("/crash/")
def crash():
    result = 1 / 0  # raises ZeroDivisionError
    return str(result)


# Keeps 404: a "not found" page answered with 200 claims the page exists.
@blue.errorhandler(404)
def not_found(error):
    return "页面不存在", 404
