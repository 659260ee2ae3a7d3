from uuid import uuid4

from flask import Blueprint, make_response

blue = Blueprint('blue', __name__)


@blue.route('/testuuid/')
def testuuid():
    return make_response(f'{uuid4()}')
