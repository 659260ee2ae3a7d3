import uuid

from flask import Blueprint

blue = Blueprint("blue", __name__)


@blue.route("/ticket/")
def ticket():
    return f"ticket {uuid.uuid4()}"
