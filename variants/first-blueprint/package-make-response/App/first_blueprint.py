from flask import Blueprint, make_response

blue = Blueprint('blue', __name__)


@blue.route('/index/')
def index():
    response = make_response('welcome to BeiJing\n')
    response.mimetype = 'text/plain'
    return response
