from flask import Blueprint, render_template, redirect, url_for, Response
from flask.views import View

blue = Blueprint('blue', __name__)


class Text(View):
    def __init__(self, body):
        self.body = body

    def dispatch_request(self):
        return self.body


blue.add_url_rule('/index/', view_func=Text.as_view('index', 'welcome to BeiJing'))
blue.add_url_rule('/testresponse1/', view_func=Text.as_view('r1', 'hello world'))


@blue.route('/testresponse2/')
def r2():
    return render_template('testresponse2.html', name='Flask'), 200


@blue.route('/testresponse3/')
def r3():
    return Response('<h1>hahahaha</h1>', status=201, headers={'X-Course': 'flask'})


@blue.route('/testresponse4/')
def r4():
    return redirect(url_for('.index'))


@blue.route('/testresponse5/')
def r5():
    return Response('阿丑'.encode('utf-8'), mimetype='text/plain')
