"""Reference for request-object: what the request object tells a view."""

from flask import Blueprint, jsonify, request

blue = Blueprint("blue", __name__)


@blue.route("/testrequest/", methods=["GET", "POST"])
def testrequest():
    return jsonify({
        "method": request.method,
        "path": request.path,              # the path only, no host, no query
        "url": request.url,                # everything, query string included
        "base_url": request.base_url,      # the url without the query string
        "host_url": request.host_url,      # scheme, host and port only
        "remote_addr": request.remote_addr,
        # .get gives the first value or None; .getlist gives every value, or [].
        # Indexing (request.args['name']) would answer 400 when the key is missing.
        "args_name": request.args.get("name"),
        "args_age": request.args.getlist("age"),
        "form_name": request.form.get("name"),
        "form_hobby": request.form.getlist("hobby"),
        "header_token": request.headers.get("X-Token"),
        "cookie_token": request.cookies.get("token"),
    })
