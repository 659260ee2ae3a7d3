from flask import Blueprint, Response, render_template

blue = Blueprint('blue', __name__)


@blue.get('/toLogin/')
def to_login_page():
    return render_template('login.html')


@blue.post('/login/')
def login_post():
    return Response('欢迎光临红浪漫')


@blue.delete('/login/')
def login_delete():
    return Response('欢迎光临红浪漫 (DELETE)')
