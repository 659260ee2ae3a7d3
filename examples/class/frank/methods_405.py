from flask import Blueprint, render_template

blue = Blueprint('blue', __name__)


@blue.route('/toLogin/')
def toLogin():
    return render_template('login.html')


@blue.route('/login/', methods=['post'])
def login():
    return '欢迎光临红浪漫,拖鞋手牌拿好,楼上二楼左转,男宾3位'
