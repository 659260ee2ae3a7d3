from flask import Blueprint, render_template, request
blue = Blueprint('blue', __name__, static_folder='static', static_url_path='/blue-static')

@blue.route('/hello/')
def hello():
    return render_template('hello.html', name=request.args.get('name', 'guest'),
                           items=request.args.getlist('item'))
