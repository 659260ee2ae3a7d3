"""Hostile: the import never finishes."""

from flask import Blueprint

blue = Blueprint("blue", __name__)

while True:
    pass
