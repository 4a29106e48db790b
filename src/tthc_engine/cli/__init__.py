"""`tthc`: thin sub-commands over the library. `main(argv) -> int` (0 ok, 1 problems, 2 usage).

Each sub-command lives in its own module exposing `register(subparsers)`; the module sets
`func(args) -> int` as the parser default. Add new commands to `_COMMANDS`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from tthc_engine._version import __version__
from tthc_engine.errors import TthcError

# module names under tthc_engine.cli, in the order `tthc --help` lists them
_COMMANDS: tuple[str, ...] = (
    "validate",
    "schema",
    "calendar_cmd",
    "deadline",
    "demo",
    "db",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tthc",
        description="tthc-engine: Vietnamese administrative procedures as state machines "
        "(thủ tục hành chính).",
    )
    parser.add_argument("--version", action="version", version=f"tthc-engine {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _COMMANDS:
        try:
            module = importlib.import_module(f"tthc_engine.cli.{name}")
        except ModuleNotFoundError as exc:  # a command not built yet in this checkout
            if exc.name != f"tthc_engine.cli.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args))
    except TthcError as exc:
        print(f"tthc: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
