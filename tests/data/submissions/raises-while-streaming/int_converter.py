from flask import Blueprint

blue = Blueprint('blue', __name__)


@blue.route('/testroute3/<int:money>/')
def testroute3(money):
    def body():
        yield 'money=%d ' % money
        yield 'type=%s' % {}['type']  # KeyError after the 200 and its headers went out
    return body()
