from flask import Blueprint
from flask_script import Manager

blue = Blueprint('blue', __name__)
