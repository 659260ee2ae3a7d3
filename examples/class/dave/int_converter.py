from flask import Blueprint

blue = Blueprint('blue', __name__)


@blue.route('/testroute3/<int:money>/')
def testroute3(money)
    return 'money=%d next=%d' % (money, money + 1)
