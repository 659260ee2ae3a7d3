from flask import Blueprint

blue = Blueprint('blue', __name__)


@blue.route('/testroute3/<money>/')
def testroute3(money):
    money = int(money)
    return f'money={money} next={money + 1}'
