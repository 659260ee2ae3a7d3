from flask import Blueprint, redirect, url_for, render_template
blue = Blueprint('blue', __name__)
@blue.route('/index/')
def home(): return 'welcome to BeiJing'
@blue.route('/user/<name>/')
def greet(name): return f'hello {name}'
@blue.route('/toindex/')
def toindex(): return redirect(url_for('blue.home'))
@blue.route('/touser/')
def touser(): return redirect(url_for('blue.greet', name='Tom'))
@blue.route('/links/')
def links(): return render_template('links.html')
