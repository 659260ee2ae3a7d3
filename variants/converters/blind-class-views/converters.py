from flask import Blueprint, Response
from flask.views import View

blue = Blueprint('blue', __name__)


def text(s):
    return Response(s, mimetype='text/plain')


class Route1(View):
    methods = ['GET']

    def dispatch_request(self, name):
        return text('name=' + str(name))


class Route2(View):
    def dispatch_request(self, name):
        return text('name=%s' % name)


class Route4(View):
    def dispatch_request(self, money):
        return text('money={} double={}'.format(money, money * 2))


class Route5(View):
    def dispatch_request(self, uid):
        return text('uid=%s type=%s version=%s' % (uid, type(uid).__name__, uid.version))


class Route6(View):
    def dispatch_request(self, p):
        return text('p=' + p)


blue.add_url_rule('/testroute1/<name>/', view_func=Route1.as_view('r1'))
blue.add_url_rule('/testroute2/<path:name>/', view_func=Route2.as_view('r2'))
blue.add_url_rule('/testroute4/<float:money>/', view_func=Route4.as_view('r4'))
blue.add_url_rule('/testroute5/<uuid:uid>/', view_func=Route5.as_view('r5'))
blue.add_url_rule('/testroute6/<any(a, b):p>/', view_func=Route6.as_view('r6'))
