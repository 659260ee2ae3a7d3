"""The ``grade`` console script. Tiny on purpose: when it is about to grade,
it starts the two children (or, for a batch, the zygote and its rehearsal)
*before* importing the CLI, so their Flask import overlaps with this process
importing click and reading the spec."""

from __future__ import annotations

import sys

#: every subcommand of grader.cli (a test keeps this in step with it)
_SUBCOMMANDS = frozenset({"list", "show", "schema", "check-exercises", "batch", "ci",
                          "--help", "-h", "--version"})


def main() -> None:
    args = sys.argv[1:]
    if args and not args[0].startswith("-") and args[0] not in _SUBCOMMANDS:
        from .processes import prestart

        prestart()
    elif args[:1] == ["batch"] and not {"--help", "-h"} & set(args):
        from .processes import prestart

        prestart(rehearse=True)  # many children to come: the zygote warms up meanwhile
    from .cli import main as cli_main

    cli_main()
