from flask import Blueprint, make_response, render_template

blue = Blueprint('blue', __name__)


@blue.route('/toLogin/')
def tologin():
    return render_template('login.html')


@blue.route('/login/', methods=['post', 'delete'])
def do_login():
    return make_response('<h1>欢迎光临红浪漫,拖鞋手牌拿好,楼上二楼左转,男宾3位</h1>')
