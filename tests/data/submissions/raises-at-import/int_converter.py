from flask import Blueprint

blue = Blueprint('blue', __name__)
config = {}
SECRET = config['SECRET_KEY']
