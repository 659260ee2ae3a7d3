import uuid

from flask import Blueprint

blue = Blueprint('blue', __name__)


@blue.route('/testuuid/')
def testuuid():
    return '<h1>' + str(uuid.uuid4()) + '</h1>'
