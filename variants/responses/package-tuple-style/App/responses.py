from flask import Blueprint, Response, redirect, render_template

blue = Blueprint('blue', __name__)


@blue.route('/index/', methods=['GET'])
def home():
    return 'welcome to BeiJing'


@blue.route('/testresponse1/', methods=['GET'])
def test_response1():
    return 'hello world'


@blue.route('/testresponse2/', methods=['GET'])
def test_response2():
    s = render_template('testresponse2.html', name='Flask')
    print(type(s))
    return s


@blue.route('/testresponse3/', methods=['GET'])
def test_response3():
    return '<h1>hahahaha</h1>', 201, {'X-Course': 'flask'}


@blue.route('/testresponse4/', methods=['GET'])
def test_response4():
    return redirect('/index/')


@blue.route('/testresponse5/', methods=['GET'])
def test_response5():
    return Response('阿丑', content_type='text/plain; charset=utf-8')
