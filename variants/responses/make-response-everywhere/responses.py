from flask import Blueprint, make_response, redirect, render_template, url_for

blue = Blueprint('blue', __name__)


@blue.route('/index/')
def index():
    return make_response('welcome to BeiJing')


@blue.route('/testresponse1/')
def testResponse1():
    return make_response('hello world\n')


@blue.route('/testresponse2/')
def testResponse2():
    return make_response(render_template('testresponse2.html', name='Flask'))


@blue.route('/testresponse3/')
def testResponse3():
    response = make_response('<h1>hahahaha</h1>')
    response.status_code = 201
    response.headers.set('X-Course', 'flask')
    return response


@blue.route('/testresponse4/')
def testResponse4():
    return make_response(redirect(url_for('.index'), code=302))


@blue.route('/testresponse5/')
def testResponse5():
    response = make_response('阿丑')
    response.mimetype = 'text/plain'
    return response
