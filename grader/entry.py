"""The ``grade`` console script. Tiny on purpose: when it is about to grade,
it starts the two children (or, for a batch, the zygote and its rehearsal)
*before* importing the CLI, so their Flask import overlaps with this process
importing click and reading the spec.

Before that, on Linux and without root, it takes a user and mount namespace
of its own (:func:`grader.confine.own_mount_namespace`), which only a process
with one thread can: there it may give each child's folder a disk quota, as
root does."""

from __future__ import annotations

import sys

#: every subcommand of grader.cli (a test keeps this in step with it)
_SUBCOMMANDS = frozenset({"list", "show", "schema", "check-exercises", "batch", "ci",
                          "--help", "-h", "--version"})
#: the subcommands that grade (grading an exercise is the one without a name)
_GRADING = frozenset({"check-exercises", "batch", "ci"})


def main() -> None:
    keep_the_current_folder_out()
    args = sys.argv[1:]
    if _grades(args):
        from .processes import enter_own_namespace, prestart

        enter_own_namespace()  # as root, or where it may not: nothing happens
        if args[0] not in _SUBCOMMANDS:  # an exercise: its two children
            prestart()
        elif args[0] == "batch":
            prestart(rehearse=True)  # many children to come: the zygote warms up meanwhile
    from .cli import main as cli_main

    cli_main()


def keep_the_current_folder_out() -> None:
    """``python -m grader`` (and ``python -m pytest``) put the current folder
    first on ``sys.path``; run in a student's folder, their ``yaml.py`` or
    ``flask.py`` would then be imported into the grader itself, where it
    could rewrite the scores. Nothing the grader imports comes from there."""
    import os

    here = os.getcwd()
    sys.path[:] = [p for p in sys.path if p != "" and os.path.abspath(p) != here]


def _grades(args: list[str]) -> bool:
    if not args or {"--help", "-h"} & set(args):
        return False
    return args[0] in _GRADING or (not args[0].startswith("-") and args[0] not in _SUBCOMMANDS)
