"""Reference for uuid-generate: a new random uuid4 on every request."""

import uuid

from flask import Blueprint

blue = Blueprint("blue", __name__)


@blue.route("/testuuid/")
def testuuid():
    # Called inside the view, so every request gets its own value; a uuid made
    # at import time would be the same for every request until a restart.
    uid = uuid.uuid4()
    # A view must return text (or a response), not a UUID object.
    return str(uid)
