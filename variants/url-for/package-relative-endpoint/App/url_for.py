from flask import Blueprint, redirect, render_template, url_for

blue = Blueprint('blue', __name__)


@blue.route('/index/', methods=['GET'])
def index():
    return 'welcome to BeiJing'


@blue.route('/user/<string:name>/', methods=['GET'])
def user(name):
    return f'hello {name}'


@blue.route('/toindex/')
def go_home():
    r = redirect(url_for('.index'))
    return r


@blue.route('/touser/')
def go_to_tom():
    return redirect(url_for('.user', name='Tom'), code=302)


@blue.route('/links/')
def show_links():
    return render_template('links.html', home=url_for('.index'))
