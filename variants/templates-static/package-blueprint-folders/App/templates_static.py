from flask import Blueprint, make_response, render_template, request

blue = Blueprint('blue', __name__, static_folder='static', static_url_path='/blue-static',
                 template_folder='templates')


@blue.route('/hello/', methods=['get'])
def show_page():
    name = request.args.get('name') or 'guest'
    fruits = request.args.getlist('item')
    response = make_response(render_template('hello.html', name=name, items=fruits))
    return response
