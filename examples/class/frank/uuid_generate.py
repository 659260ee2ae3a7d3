import uuid

from flask import Blueprint

blue = Blueprint('blue', __name__)


@blue.route('/testuuid/')
def testuuid():
    return uuid.uuid4().hex
