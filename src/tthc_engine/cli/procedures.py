"""The procedure a command is about: `FILE_OR_CODE` (a file, or a code in --catalog at --version, or
in force --on a day), one rule for `tthc graph` and `tthc show`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from tthc_engine.definition.model import Procedure


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("procedure", metavar="FILE_OR_CODE", help="a procedure file, or a code in --catalog")
    parser.add_argument("--catalog", metavar="DIR", default="procedures", help="default: procedures")
    parser.add_argument("--version", dest="proc_version", metavar="V", help="this version of the code")
    parser.add_argument("--on", metavar="YYYY-MM-DD", help="the version in force on this day (default today)")


def resolve(args: argparse.Namespace, command: str) -> Procedure | int:
    """The procedure, or the exit code after saying why not (1: the file has errors, listed as
    `tthc validate` lists them; 2: usage — no such file, folder, code or day)."""
    from tthc_engine.cli.validate import text_line
    from tthc_engine.definition.catalog import Catalog
    from tthc_engine.definition.loader import load_procedure
    from tthc_engine.errors import ProcedureError

    given = Path(args.procedure)
    try:
        if given.is_file():
            return load_procedure(given)
        if not Path(args.catalog).is_dir():
            print(
                f"tthc {command}: {args.procedure!r} không phải tệp / is not a file, and --catalog "
                f"{args.catalog!r} is not a folder",
                file=sys.stderr,
            )
            return 2
        catalog = Catalog.load(args.catalog)
        if args.proc_version is not None:
            return catalog.get(args.procedure, args.proc_version)
        day = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date()
        if args.on is not None:
            try:
                day = dt.date.fromisoformat(args.on)
            except ValueError:
                print(f"tthc {command}: --on {args.on!r} is not a day (YYYY-MM-DD)", file=sys.stderr)
                return 2
        return catalog.in_force(args.procedure, day)
    except ProcedureError as exc:
        for problem in exc.problems:
            print(text_line(problem), file=sys.stderr)
        print(f"tthc {command}: {exc}", file=sys.stderr)
        return 1
