"""Reference for templates-static: a page rendered from a template (a
variable, a loop, autoescaping) that links a stylesheet served from the
blueprint's own static folder."""

from flask import Blueprint, render_template, request

# The blueprint's static folder is served at /blue-static/<filename>; the
# app's own /static/ stays free for the app's files.
blue = Blueprint("blue", __name__, static_folder="static", static_url_path="/blue-static")


@blue.route("/hello/")
def hello():
    name = request.args.get("name", "guest")
    # getlist: ?item=a&item=b repeats the key; get() would keep only the first
    items = request.args.getlist("item")
    return render_template("hello.html", name=name, items=items)
