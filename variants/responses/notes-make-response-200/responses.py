from flask import Blueprint, render_template, url_for, make_response, redirect, Response

blue = Blueprint('blue', __name__)


@blue.route('/index/')
def index():
    return 'welcome to BeiJing'


# -------返回字符串-------------
@blue.route('/testresponse1/')
def testResponse1():
    return 'hello world'


# -------返回一个模板----------
@blue.route('/testresponse2/')
def testResponse2():
    s = render_template('testresponse2.html', name='Flask')
    return s


# ------返回make_response()--------
@blue.route('/testresponse3/')
def testResponse3():
    return make_response('<h1>hahahaha</h1>')


# ------返回redirect------------
@blue.route('/testresponse4/')
def testResponse4():
    r = redirect(url_for('blue.index'))
    return r


# -------返回Response--------------
@blue.route('/testresponse5/')
def testResponse5():
    r = Response('阿丑', mimetype='text/plain')
    return r
