from flask import Blueprint, Response, redirect

blue = Blueprint('blue', __name__)


@blue.route('/index/')
def index():
    return '<h1>首页</h1>'


@blue.route('/new/')
def new():
    return '<h1>新地址</h1>'


@blue.route('/old/')
def old():
    return '', 301, {'Location': '/new/'}


@blue.route('/later/')
def later():
    return redirect('/index/', 302)


@blue.route('/admin/')
def admin():
    return '禁止访问', 403


@blue.route('/user/<int:uid>/')
def user(uid):
    if uid == 1:
        return 'user 1'
    return Response('<p>页面不存在</p>', status=404)


@blue.route('/login/', methods=['POST'])
def login():
    return '登录成功', 200


@blue.route('/crash/')
def crash():
    data = {}
    return data['missing']
