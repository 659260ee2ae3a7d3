from flask import Blueprint, redirect, render_template, url_for

blue = Blueprint('blue', __name__)


@blue.route('/index/')
def index():
    return 'welcome to BeiJing'


@blue.route('/user/<name>/')
def user(name):
    return 'hello ' + name


@blue.route('/toindex/')
def toindex():
    # redirect('/index/')------->redirect(url_for('blue.方法名'))
    return redirect('/index/')


@blue.route('/touser/')
def touser():
    return redirect(url_for('blue.user', name='Tom'))


@blue.route('/links/')
def links():
    return render_template('links.html')
