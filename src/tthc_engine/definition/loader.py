"""One file → Procedure: strict YAML, JSON Schema, model building, semantic lint — in that order.

`check_source` never raises for bad input; it returns every problem it found. `load_procedure` raises
one ProcedureError carrying all of them. Loading never executes anything from the file.
"""

from __future__ import annotations

import os
from collections.abc import Collection

import attrs

from tthc_engine.calendar.overlay import OVERLAY_FORMAT_KEY
from tthc_engine.definition.build import build_procedure
from tthc_engine.definition.lint import lint_procedure
from tthc_engine.definition.model import Procedure
from tthc_engine.definition.schema_check import schema_problems
from tthc_engine.diagnostics import (
    DEFAULT_MAX_BYTES,
    PROCEDURE_FILE,
    Collector,
    SourceMap,
    read_bounded,
    read_yaml,
)
from tthc_engine.diagnostics.yaml_hints import moved_key_hint
from tthc_engine.errors import Problem, ProcedureError

PROCEDURE_FORMAT_PREFIX = "tthc/procedure/"
CALENDAR_OVERLAY = "calendar overlay"  # FileResult.other_format of a file with `calendar_overlay:`


@attrs.frozen
class FileResult:
    """What checking one file found. `procedure` is None when an error prevented building it."""

    path: str
    procedure: Procedure | None
    problems: tuple[Problem, ...]
    source_map: SourceMap = attrs.field(factory=SourceMap, eq=False, repr=False)
    other_format: str | None = None  # set when the file declares another tthc format (a scenario, …)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")


def check_source(
    raw: bytes | str,
    path: str = "<string>",
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    predicates: Collection[str] | None = None,
) -> FileResult:
    """Check one procedure document given as bytes or text; `path` is used in the problems."""
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    doc = read_yaml(data, path, kind=PROCEDURE_FILE, max_bytes=max_bytes)
    if doc.data is None:
        return FileResult(path, None, doc.problems, doc.source_map)
    declared = doc.data.get("format") if isinstance(doc.data, dict) else None
    if isinstance(doc.data, dict) and OVERLAY_FORMAT_KEY in doc.data and declared is None:
        # a calendar overlay beside the procedures: its format key says so; calendar/overlay.py checks it
        return FileResult(path, None, doc.problems, doc.source_map, other_format=CALENDAR_OVERLAY)
    if (
        isinstance(declared, str)
        and declared.startswith("tthc/")
        and not declared.startswith(PROCEDURE_FORMAT_PREFIX)
    ):
        return FileResult(path, None, doc.problems, doc.source_map, other_format=declared)
    problems = list(doc.problems)
    problems += _moved_keys(schema_problems(doc.data, doc.source_map, path), data)
    if problems:
        return FileResult(path, None, tuple(problems), doc.source_map)
    procedure, build_problems = build_procedure(doc.data, doc.source_map, path)
    problems += build_problems
    if procedure is None:
        return FileResult(path, None, tuple(problems), doc.source_map)
    problems += lint_procedure(procedure, doc.source_map, predicates=predicates)
    ok = not any(p.severity == "error" for p in problems)
    return FileResult(path, procedure if ok else None, tuple(problems), doc.source_map)


def _moved_keys(problems: list[Problem], raw: bytes) -> list[Problem]:
    """An unknown top-level key (TT102) right after a deeper block is usually a key moved left out of
    it: say so first (computed only for files with such a problem)."""
    if not any(p.code == "TT102" and len(p.where) == 1 for p in problems):
        return problems
    text = raw.decode("utf-8-sig", errors="replace")
    out = []
    for p in problems:
        moved = moved_key_hint(text, p.line) if p.code == "TT102" and len(p.where) == 1 else None
        if moved is not None:
            other = p.hint or "keys starting with 'x-' are allowed for extension data"
            rest = other if other.startswith("did you mean") else f"remove it ({other})"
            p = attrs.evolve(p, hint=f"{moved}; otherwise {rest}")
        out.append(p)
    return out


def check_file(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    predicates: Collection[str] | None = None,
) -> FileResult:
    """Check one procedure file; an unreadable file is a TT001 problem, not an exception."""
    name = os.fspath(path)
    try:
        raw = read_bounded(path, max_bytes)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        unreadable = Collector(name)
        hint = "check the path and its permissions"
        unreadable.report((), "TT001", f"cannot read the file: {reason}", hint)
        return FileResult(name, None, tuple(unreadable.problems))
    return check_source(raw, name, max_bytes=max_bytes, predicates=predicates)


def _raise_or_return(result: FileResult) -> Procedure:
    if result.other_format is not None:
        other = Collector(result.path)
        other.report(
            ("format",),
            "TT104",
            f"the file is a {result.other_format!r} document, not a procedure",
            "load it with load_overlay (tthc calendar --overlay FILE)"
            if result.other_format == CALENDAR_OVERLAY
            else "load it with the tool for that format",
            at=(1, 1),
        )
        raise ProcedureError(f"{result.path} is not a procedure", other.problems)
    if result.procedure is None or result.errors:
        raise ProcedureError(f"invalid procedure {result.path}", result.problems)
    return result.procedure


def load_procedure(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    predicates: Collection[str] | None = None,
) -> Procedure:
    """Load one procedure file, or raise ProcedureError with every problem (warnings do not raise)."""
    return _raise_or_return(check_file(path, max_bytes=max_bytes, predicates=predicates))


def parse_procedure(
    source: str | bytes,
    path: str = "<string>",
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    predicates: Collection[str] | None = None,
) -> Procedure:
    """Like load_procedure for YAML already in memory (tests, editors, databases)."""
    return _raise_or_return(check_source(source, path, max_bytes=max_bytes, predicates=predicates))
