from flask import Blueprint, abort, redirect, url_for

blue = Blueprint('blue', __name__)


@blue.route('/index/')
def index():
    return '首页'


@blue.route('/new/')
def new():
    return '新地址'


# 301 永久重定向
@blue.route('/old/')
def old():
    return redirect(url_for('blue.new'), code=301)


# 302 临时重定向
@blue.route('/later/')
def later():
    return redirect(url_for('blue.index'), code=302)


@blue.route('/admin/')
def admin():
    abort(403)


@blue.route('/user/<int:uid>/')
def user(uid):
    if uid != 1:
        abort(404)
    return 'user %d' % uid


@blue.route('/login/', methods=['post'])
def login():
    return '登录成功'


@blue.route('/crash/')
def crash():
    # 500 服务器错误 业务逻辑错误（你代码写错了）
    return 1 / 0


@blue.errorhandler(404)
def not_found(e):
    return '页面不存在', 404


# the notes' handler style: only the text, so the status becomes 200
@blue.errorhandler(500)
def server_error(e):
    return '服务器出错了，请稍后再试'
