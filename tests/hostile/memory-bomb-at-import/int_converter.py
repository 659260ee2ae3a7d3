"""Hostile: allocates memory at import until something gives."""

from flask import Blueprint

blue = Blueprint("blue", __name__)

hoard = []
while True:
    hoard.append(bytearray(64 << 20))
