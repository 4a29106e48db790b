"""`tthc`: thin sub-commands over the library. `main(argv) -> int` (docs/cli.md, exit codes):
0 ok, 1 problems found, 2 usage or bad input, 3 internal error (a bug of ours; TTHC_DEBUG=1 shows the
traceback). Output is UTF-8 whatever the terminal's encoding (code page 1258, redirected output).

Each sub-command lives in its own module exposing `register(subparsers)`; the module sets
`func(args) -> int` as the parser default. Add new commands to `_COMMANDS`.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import os
import sys
import traceback
from collections.abc import Iterator, Sequence

from tthc_engine._version import __version__

# module names under tthc_engine.cli, in the order `tthc --help` lists them
_COMMANDS: tuple[str, ...] = (
    "validate",
    "schema",
    "calendar_cmd",
    "deadline",
    "demo",
    "db",
    "form",
    "report",
    "replan",
    "test_cmd",
    "graph_cmd",
    "show",
)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The `tthc` parser with every sub-command, or only the one named `only` (its module alone is
    imported: `tthc validate FILE` loads the definition layer, not the engine and the stores)."""
    parser = argparse.ArgumentParser(
        prog="tthc",
        description="tthc-engine: Vietnamese administrative procedures as state machines "
        "(thủ tục hành chính).",
    )
    parser.add_argument("--version", action="version", version=f"tthc-engine {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _COMMANDS:
        if only is not None and _command_name(name) != only:
            continue
        try:
            module = importlib.import_module(f"tthc_engine.cli.{name}")
        except ModuleNotFoundError as exc:  # a command not built yet in this checkout
            if exc.name != f"tthc_engine.cli.{name}":
                raise
            continue
        module.register(sub)
    return parser


EXIT_INTERNAL = 3  # an unexpected exception: never 1, which means "problems found"
DEBUG_ENV = "TTHC_DEBUG"  # set to 1 to print the traceback of an internal error


@contextlib.contextmanager
def _utf8_streams() -> Iterator[None]:
    """stdout and stderr write UTF-8 while the command runs, then get their own encoding back.

    Vietnamese text cannot be encoded in code page 1258 (it has no precomposed 'ị'), Latin-1 or
    ASCII; rather than crash with UnicodeEncodeError, tthc writes UTF-8 (as its files are).
    """
    restore: list[tuple[io.TextIOWrapper, str, str | None]] = []
    for stream in (sys.stdout, sys.stderr):
        if not isinstance(stream, io.TextIOWrapper):
            continue
        if stream.encoding.lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig"):
            continue
        with contextlib.suppress(ValueError, OSError):  # closed, or not reconfigurable
            restore.append((stream, stream.encoding, stream.errors))
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
    try:
        yield
    finally:
        for stream, encoding, errors in restore:
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(encoding=encoding, errors=errors)


def main(argv: Sequence[str] | None = None) -> int:
    with _utf8_streams():
        return _main(argv)


def _command_name(module: str) -> str:
    """The sub-command a module registers (`calendar_cmd` registers `calendar`)."""
    return module.removesuffix("_cmd")


def _chosen(argv: Sequence[str]) -> str | None:
    """The sub-command named on the command line, if it is one of ours (None: --help, a typo …)."""
    first = next((word for word in argv if not word.startswith("-")), None)
    return first if first in {_command_name(m) for m in _COMMANDS} else None


def _main(argv: Sequence[str] | None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    if words == ["--version"]:  # nothing else to load
        print(f"tthc-engine {__version__}")
        return 0
    from tthc_engine.errors import TthcError

    parser = build_parser(_chosen(words))
    try:
        args = parser.parse_args(words)
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
    except Exception as exc:  # a bug of ours, not of the input: say so in one line, exit 3
        if os.environ.get(DEBUG_ENV, "").strip() not in ("", "0"):
            traceback.print_exc(file=sys.stderr)
        reason = f"{type(exc).__name__}: {exc}".replace("\n", " ")
        print(
            f"tthc {args.command}: lỗi nội bộ / internal error ({reason}); this is a bug of tthc-engine, "
            f"not of your input: run again with {DEBUG_ENV}=1 for the traceback and report it",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
