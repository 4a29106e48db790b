"""`tthc validate PATH...`: check procedure files and folders as one catalog (docs/validate.md).

Thin over `validate_paths`: everything it prints comes from the ValidationReport. Exit 0 clean,
1 problems (warnings too with --strict), 2 usage; an internal error is tthc's exit 3 (cli.main).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tthc_engine.definition.catalog import ValidationReport, validate_paths
from tthc_engine.diagnostics import DEFAULT_MAX_BYTES
from tthc_engine.errors import Problem


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check procedure YAML files (schema and semantic checks)",
        description="Check procedure files and folders (recursively, *.yaml and *.yml) as one catalog; "
        "calendar overlays among them (calendar_overlay: 1) are checked as overlays. "
        "Prints path:line:col: CODE message for each problem; codes are explained in docs/diagnostics.md.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="procedure files or folders")
    parser.add_argument(
        "--format", choices=("text", "json", "github"), default="text", help="output format (default: text)"
    )
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument(
        "--catalog",
        metavar="DIR",
        help="the whole catalog folder: check PATH... (e.g. the files of a commit) in full and against "
        "every procedure under DIR (duplicate versions, overlapping dates); the pre-commit hook's mode",
    )
    parser.add_argument(
        "--predicates",
        metavar="NAMES",
        help="comma-separated guard predicate names the host registers; unknown names become TT403",
    )
    parser.add_argument(
        "--max-bytes",
        type=int,
        default=DEFAULT_MAX_BYTES,
        metavar="N",
        help=f"refuse files larger than N bytes (default {DEFAULT_MAX_BYTES})",
    )
    parser.set_defaults(func=run)


def _github_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def github_line(problem: Problem, *, strict: bool = False) -> str:
    """A GitHub Actions workflow command that annotates the file at the problem's position."""
    level = "error" if problem.severity == "error" or strict else "warning"
    props = [f"file={_github_escape(problem.path, prop=True)}"]
    if problem.line > 0:
        props += [f"line={problem.line}", f"col={max(problem.column, 1)}"]
    props.append(f"title={_github_escape(problem.code, prop=True)}")
    message = problem.message + (f" (hint: {problem.hint})" if problem.hint else "")
    return f"::{level} {','.join(props)}::{_github_escape(message)}"


def text_line(problem: Problem) -> str:
    line = problem.format()
    return line + " [warning]" if problem.severity == "warning" else line


def summary(report: ValidationReport) -> str:
    errors, warnings = len(report.errors), len(report.warnings)
    text = f"checked {len(report.files)} file(s)"
    if report.overlays:
        text += f" ({len(report.overlays)} calendar overlay(s))"
    if report.context:
        text += f" against {len(report.context)} other catalog file(s)"
    if report.skipped:
        text += f" (skipped {len(report.skipped)} of another format)"
    if not errors and not warnings:
        return text + ": no problems"
    return text + f": {errors} error(s), {warnings} warning(s)"


def render(report: ValidationReport, fmt: str, *, strict: bool = False) -> str:
    """The whole output for one report, in the chosen format."""
    if fmt == "json":
        payload = {
            "files": list(report.files),
            "skipped": list(report.skipped),
            "overlays": list(report.overlays),
            "context": list(report.context),
            "errors": len(report.errors),
            "warnings": len(report.warnings),
            "ok": report.ok(strict=strict),
            "problems": [p.as_dict() for p in report.problems],
        }
        return json.dumps(payload, ensure_ascii=False, indent=2)
    if fmt == "github":
        lines = [github_line(p, strict=strict) for p in report.problems]
    else:
        lines = [text_line(p) for p in report.problems]
    return "\n".join([*lines, summary(report)])


def run(args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        print(f"tthc validate: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    if args.max_bytes <= 0:
        print("tthc validate: --max-bytes must be positive", file=sys.stderr)
        return 2
    if args.catalog is not None and not Path(args.catalog).is_dir():
        print(
            f"tthc validate: --catalog {args.catalog!r} is not a folder; give the folder holding your "
            "procedures (in .pre-commit-config.yaml: args: [--catalog, <folder>], with files: ^<folder>/)",
            file=sys.stderr,
        )
        return 2
    predicates = None
    if args.predicates is not None:
        predicates = {name.strip() for name in args.predicates.split(",") if name.strip()}
    report = validate_paths(args.paths, predicates=predicates, max_bytes=args.max_bytes, catalog=args.catalog)
    if not report.files and not report.skipped:
        print(f"tthc validate: no *.yaml or *.yml files under {', '.join(args.paths)}", file=sys.stderr)
        return 2
    print(render(report, args.format, strict=args.strict))
    return 0 if report.ok(strict=args.strict) else 1
