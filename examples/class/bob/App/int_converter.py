from flask import Blueprint, Response

blue = Blueprint('blue', __name__)


@blue.route('/testroute3/<int:money>/', methods=['GET'])
def testroute3(money):
    text = 'money=' + str(money) + ' next=' + str(money + 1) + '\n'
    return Response(text, mimetype='text/plain')
