from flask import Blueprint, redirect, url_for

blue = Blueprint('main', __name__)


@blue.route('/index/')
def index():
    return 'welcome to BeiJing'


@blue.route('/user/<name>/')
def user(name):
    return 'hello %s' % name


@blue.route('/toindex/')
def toindex():
    return redirect(url_for('main.index', _external=True))


@blue.route('/touser/')
def touser():
    return redirect(url_for('main.user', name='Tom'))


@blue.route('/links/')
def links():
    return f'<p>去<a href="{url_for("main.index", _external=True)}">首页</a>看看</p>'
