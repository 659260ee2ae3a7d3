from flask import Blueprint, make_response

blue = Blueprint('blue', __name__)


def text(body):
    response = make_response(body + '\n')
    response.mimetype = 'text/plain'
    return response


@blue.route('/testroute1/<name>/')          # string is the default converter
def route_string(name):
    return text('name=%s' % name)


@blue.route('/testroute2/<path:name>/')
def route_path(name):
    return text('name=%s' % name)


@blue.route('/testroute4/<float:money>/')
def route_float(money):
    return text('money={} double={}'.format(money, money * 2))


@blue.route('/testroute5/<uuid:uid>/')
def route_uuid(uid):
    return text('uid={} type={} version={}'.format(str(uid), uid.__class__.__name__, uid.version))


@blue.route('/testroute6/<any(a, b):p>/')
def route_any(p):
    return text('p=' + p)
