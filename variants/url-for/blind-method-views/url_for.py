from flask import Blueprint, redirect, url_for, make_response
from flask.views import MethodView
from markupsafe import escape

blue = Blueprint('blue', __name__)


class IndexView(MethodView):
    def get(self):
        return make_response('welcome to BeiJing')


class UserView(MethodView):
    def get(self, name):
        return 'hello %s' % escape(name)


blue.add_url_rule('/index/', view_func=IndexView.as_view('index'))
blue.add_url_rule('/user/<string:name>/', view_func=UserView.as_view('user'))


@blue.get('/toindex/')
def go_index():
    return redirect(url_for('.index'), code=302)


@blue.get('/touser/')
def go_user():
    return redirect(url_for('.user', name='Tom'))


@blue.get('/links/')
def link_page():
    return f"<p><a href='{url_for('.index')}'>首页</a></p>"
