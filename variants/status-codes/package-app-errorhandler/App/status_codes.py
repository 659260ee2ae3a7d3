from flask import Blueprint, abort, redirect, render_template, url_for

blue = Blueprint('blue', __name__)

users = {1: 'user 1'}


@blue.route('/index/', methods=['GET'])
def home():
    return render_template('page.html', text='首页')


@blue.route('/new/', methods=['GET'])
def new_page():
    return render_template('page.html', text='新地址')


@blue.route('/old/')
def old_page():
    # permanently moved
    return redirect(url_for('blue.new_page'), 301)


@blue.route('/later/')
def later_page():
    # temporarily moved
    return redirect(url_for('blue.home'))


@blue.route('/admin/')
def admin():
    abort(403)


@blue.route('/user/<int:uid>/')
def get_user(uid):
    name = users.get(uid)
    if name is None:
        abort(404)
    return name


@blue.route('/login/', methods=['POST'])
def do_login():
    return render_template('page.html', text='登录成功')


@blue.route('/crash/')
def crash():
    abort(500)


@blue.app_errorhandler(404)
def page_not_found(error):
    return render_template('page.html', text='页面不存在'), 404
