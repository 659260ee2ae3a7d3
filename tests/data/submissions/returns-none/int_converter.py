# Defect: the view computes the text but never returns it.
from flask import Blueprint

blue = Blueprint('blue', __name__)


@blue.route('/testroute3/<int:money>/')
def testroute3(money):
    text = f'money={money} next={money + 1}'
