from flask import Blueprint

blue = Blueprint('blue', __name__)


@blue.route('/testroute3/<int:money>/')
def testroute3(money):
    print(money)
    return 'money=5 next=6'
