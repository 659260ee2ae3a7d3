from flask import Blueprint

blue = Blueprint('blue', __name__)


@blue.route('/testuuid/')
def testuuid():
    return '1b4e28ba-2fa1-4d2b-a8f3-6c2e4d5f7a90'
