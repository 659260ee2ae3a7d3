import uuid
from flask import Blueprint
blue = Blueprint('blue', __name__)
@blue.get('/testuuid/')
def t():
    return str(uuid.uuid4()).upper()
