"""Hostile: os._exit() while being imported (no exception to catch)."""

import os

from flask import Blueprint

blue = Blueprint("blue", __name__)
os._exit(0)
