from flask import Blueprint

blue = Blueprint('blue', __name__)


@blue.route('/testroute3/<int:money>/')
def testroute3(money):
    while money > 10:  # loops forever for large amounts only
        money += 1
    return 'money=%d next=%d' % (money, money + 1)
