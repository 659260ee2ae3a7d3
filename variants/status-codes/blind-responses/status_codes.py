from flask import Blueprint, Response, make_response, abort, render_template_string
from flask.views import MethodView

blue = Blueprint('blue', __name__)


@blue.get('/index/')
def home_page():
    resp = make_response('首页')
    resp.status_code = 200
    return resp


@blue.get('/new/')
def new_address():
    return Response('新地址', status=200, mimetype='text/plain')


@blue.get('/old/')
def moved_permanently():
    return '', 301, {'Location': '/new/'}


@blue.get('/later/')
def temporary():
    return Response('maintenance', status=302, headers={'Location': '/index/'})


@blue.get('/admin/')
def admin_area():
    return 'Forbidden', 403


@blue.get('/user/<int:uid>/')
def show_user(uid):
    if uid != 1:
        abort(404)
    return f'user {uid}'


@blue.app_errorhandler(404)
def page_missing(error):
    return render_template_string('<h1>{{ msg }}</h1>', msg='页面不存在'), 404


class LoginView(MethodView):
    methods = ['post']

    def post(self):
        return '登录成功'


blue.add_url_rule('/login/', view_func=LoginView.as_view('login'))


@blue.route('/crash/', methods=['get'])
def crash():
    abort(500)
