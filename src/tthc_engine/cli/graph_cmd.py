"""`tthc graph FILE_OR_CODE`: draw a procedure as Mermaid or Graphviz DOT (definition/diagram.py).

A path draws that file; a code draws the version in force on --on (default today, Viet Nam time)
in --catalog, or --version exactly. Exit 0 drawn, 1 the file has errors (listed as `tthc validate`
lists them), 2 usage (no such file or code).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tthc_engine.cli.procedures import add_arguments, resolve


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "graph",
        help="draw a procedure's states and actions (Mermaid or Graphviz DOT)",
        description="Print a procedure as a diagram: Vietnamese labels, the roles on each action, the "
        "budget and clock of each state, final outcomes marked. Pipe DOT to `dot -Tsvg`.",
    )
    add_arguments(parser)
    parser.add_argument("--format", choices=("mermaid", "dot"), default="mermaid", help="default: mermaid")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tthc_engine.definition.diagram import render

    proc = resolve(args, "graph")
    if isinstance(proc, int):
        return proc
    text = render(proc, args.format)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
