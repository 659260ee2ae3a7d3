from flask import Blueprint

blue = Blueprint('blue', __name__)


@blue.route('/testRoute3/<int:money>/')
def testRoute3(money):
    return f'money={money} next={money + 1}'
