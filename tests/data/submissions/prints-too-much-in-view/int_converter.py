# Defect: the view prints debugging output without end (it goes to a capped log).
from flask import Blueprint

blue = Blueprint('blue', __name__)


@blue.route('/testroute3/<int:money>/')
def testroute3(money):
    while True:
        print('x' * 1000)
