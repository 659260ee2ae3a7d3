import uuid

from flask import Blueprint

blue = Blueprint('blue', __name__)


@blue.route('/testuuid/')
def testuuid():

    uid = uuid.uuid4()
    print(uid)

    return 'testuuid'
