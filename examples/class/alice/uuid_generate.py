import uuid

from flask import Blueprint, Response

blue = Blueprint('blue', __name__)


@blue.route('/testuuid/', methods=['GET'])
def make_uuid():
    uid = uuid.uuid4()
    print(uid)
    return Response(str(uid) + '\n', mimetype='text/plain')
