from flask import Blueprint

bp = Blueprint('blue', __name__)
