from flask import Blueprint, make_response

blue = Blueprint('blue', __name__)


@blue.route('/testroute3/<int:money>/')
def show_money(money):
    return make_response('money=%d next=%d' % (money, money + 1))
