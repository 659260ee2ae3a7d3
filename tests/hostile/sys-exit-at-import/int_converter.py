"""Hostile: sys.exit() while being imported."""

import sys

from flask import Blueprint

blue = Blueprint("blue", __name__)
sys.exit("bye from the submission")
