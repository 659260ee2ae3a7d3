from flask import Blueprint, make_response
blue = Blueprint('blue', __name__)
@blue.get('/setcookie/')
def s():
    r = make_response('ok'); r.set_cookie('token', 'flask', max_age=3600, httponly=True); return r
@blue.get('/remember/')
def rem():
    r = make_response('ok'); r.set_cookie('remember', 'yes', max_age=604800); return r
@blue.get('/forget/')
def f():
    r = make_response('ok'); r.delete_cookie('remember', path='/forget/'); return r
