from flask import Blueprint

blue = Blueprint('blue', __name__)
while True:
    pass
