import uuid

from flask import Blueprint

blue = Blueprint('blue', __name__)

# generated once, when the module is imported
UID = str(uuid.uuid4())


@blue.route('/testuuid/')
def testuuid():
    return UID
