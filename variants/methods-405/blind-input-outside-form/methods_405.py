from flask import Blueprint, render_template
blue = Blueprint('blue', __name__)

@blue.route('/toLogin/')
def to_login():
    return render_template('login.html')

@blue.route('/login/', methods=['post', 'delete'])
def login():
    return '欢迎光临红浪漫'
