"""Grades Flask exercises by playing the same requests against a student's
blueprint and a reference solution, each in a child process of its own.

The package is imported by the grading parent *and* by every child, so this
module stays tiny: importing it must not pull in Flask, YAML or requests.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
