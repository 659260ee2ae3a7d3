from flask import Blueprint, Response, render_template, url_for

blue = Blueprint('blue', __name__)


@blue.route('/index/')
def index():
    return Response('welcome to BeiJing')


@blue.route('/testresponse1/')
def one():
    return Response('hello world')


@blue.route('/testresponse2/')
def two():
    return Response(render_template('testresponse2.html', name='Flask'))


@blue.route('/testresponse3/')
def three():
    return Response('<h1>hahahaha</h1>', status=201, headers={'X-Course': 'flask'})


@blue.route('/testresponse4/')
def four():
    return Response(status=302, headers={'Location': url_for('blue.index')})


@blue.route('/testresponse5/')
def five():
    return Response('阿丑', content_type='text/plain')
