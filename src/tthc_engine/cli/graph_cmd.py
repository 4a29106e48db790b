"""`tthc graph FILE_OR_CODE`: draw a procedure as Mermaid or Graphviz DOT (definition/diagram.py).

A path draws that file; a code draws the version in force on --on (default today, Viet Nam time)
in --catalog, or --version exactly. Exit 0 drawn, 1 the file has errors (listed as `tthc validate`
lists them), 2 usage (no such file or code).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "graph",
        help="draw a procedure's states and actions (Mermaid or Graphviz DOT)",
        description="Print a procedure as a diagram: Vietnamese labels, the roles on each action, the "
        "budget and clock of each state, final outcomes marked. Pipe DOT to `dot -Tsvg`.",
    )
    parser.add_argument("procedure", metavar="FILE_OR_CODE", help="a procedure file, or a code in --catalog")
    parser.add_argument("--format", choices=("mermaid", "dot"), default="mermaid", help="default: mermaid")
    parser.add_argument("--catalog", metavar="DIR", default="procedures", help="default: procedures")
    parser.add_argument("--version", dest="proc_version", metavar="V", help="this version of the code")
    parser.add_argument("--on", metavar="YYYY-MM-DD", help="the version in force on this day")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tthc_engine.cli.validate import text_line
    from tthc_engine.definition.catalog import Catalog
    from tthc_engine.definition.diagram import render
    from tthc_engine.definition.loader import load_procedure
    from tthc_engine.errors import ProcedureError

    given = Path(args.procedure)
    try:
        if given.is_file():
            proc = load_procedure(given)
        else:
            if not Path(args.catalog).is_dir():
                print(
                    f"tthc graph: {args.procedure!r} không phải tệp / is not a file, and --catalog "
                    f"{args.catalog!r} is not a folder",
                    file=sys.stderr,
                )
                return 2
            catalog = Catalog.load(args.catalog)
            if args.proc_version is not None:
                proc = catalog.get(args.procedure, args.proc_version)
            else:
                day = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date()
                if args.on is not None:
                    try:
                        day = dt.date.fromisoformat(args.on)
                    except ValueError:
                        print(f"tthc graph: --on {args.on!r} is not a day (YYYY-MM-DD)", file=sys.stderr)
                        return 2
                proc = catalog.in_force(args.procedure, day)
    except ProcedureError as exc:
        for problem in exc.problems:
            print(text_line(problem), file=sys.stderr)
        print(f"tthc graph: {exc}", file=sys.stderr)
        return 1
    text = render(proc, args.format)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
