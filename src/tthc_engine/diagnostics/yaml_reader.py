"""The one strict, safe YAML reader: plain data and a source map, or diagnostics — never code or a guess.

Why not `yaml.safe_load`: YAML 1.1 turns `no` (a Norwegian country code, a "no" answer) and `off`
into False, `2025-07-01` into a date and `15:00` into the integer 900 (base 60); it silently keeps
the last of two duplicate keys; its aliases let a 1 KiB "billion laughs" file expand into gigabytes
once a validator walks it; and its composer recurses, so a deeply nested file raises RecursionError.
Authors of legal data need none of that. So we take only the *event stream* of PyYAML's safe parser
(libyaml when available) and build the data ourselves, iteratively (yaml_builder.py):

- scalars resolve to str, int, float, bool (only true/false) and None; `yes/no/on/off`, timestamps and
  base-60 numbers stay strings; explicit tags other than the core ones are refused;
- duplicate keys, merge keys (`<<`), complex keys and several documents are problems;
- every node counts toward a budget *including alias expansions* (checked before copying, so an alias
  bomb is refused in O(anchors) time and memory), nesting depth is bounded, the file size is bounded,
  the text must be UTF-8;
- every value remembers its line and column, keyed by its JSON path (a tuple of keys and indexes).

Procedures and calendar overlays are read by this same code; a `FileKind` says which code family
(TT0xx or TC1xx) and which wording their problems get.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from typing import Any

import attrs
import yaml

from tthc_engine.diagnostics.collector import Collector
from tthc_engine.diagnostics.paths import Position, SourceMap
from tthc_engine.diagnostics.yaml_builder import Builder, Fatal, FileKind, pos
from tthc_engine.diagnostics.yaml_hints import syntax_hint
from tthc_engine.errors import Problem

DEFAULT_MAX_BYTES = 1024 * 1024
DEFAULT_MAX_NODES = 200_000
DEFAULT_MAX_DEPTH = 64

_PARSER: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

PROCEDURE_FILE = FileKind(
    too_large="TT002",
    not_utf8="TT003",
    syntax="TT004",
    duplicate_key="TT005",
    too_many_values="TT006",
    unsupported="TT007",
    documents="TT008",
    too_deep="TT009",
    not_finite="TT010",
    split_hint="split the procedure, or raise max_bytes if this size is intended",
    content_hint="procedure files hold only text, numbers, true/false, lists and mappings",
    one_document_hint="keep one procedure version per file",
    empty_hint="write the procedure's keys",
)

OVERLAY_FILE = FileKind(
    too_large="TC108",
    not_utf8="TC109",
    syntax="TC100",
    duplicate_key="TC105",
    too_many_values="TC110",
    unsupported="TC111",
    documents="TC112",
    too_deep="TC113",
    not_finite="TC114",
    split_hint="an overlay is a few KiB: split it into several overlays, "
    "or pass load_overlay(max_bytes=...) if this size is intended",
    content_hint="calendar overlays hold only text, numbers, true/false, lists and mappings",
    one_document_hint="keep one overlay per file; list several files to layer them",
    empty_hint="write the overlay's keys: calendar_overlay, name, level (docs/calendar.md)",
)


@attrs.frozen
class Document:
    """The result of reading one file: `data` is None when a fatal problem stopped reading."""

    data: Any
    source_map: SourceMap
    problems: tuple[Problem, ...]


class StrictLoader(_PARSER):  # type: ignore[misc]
    """The safe YAML parser (libyaml's when installed) used only for its event stream.

    Construction is ours (`read_yaml`), so none of SafeLoader's constructors or resolvers run.
    """


def read_bounded(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    """Read at most max_bytes + 1 bytes, so an oversized file is refused without loading it all.

    Only a regular file is read: the file is opened without blocking and checked before reading,
    so a FIFO, a device or a socket named as a procedure raises OSError (a TT001 problem for the
    callers) instead of blocking a CI run forever."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a FIFO, a device or a socket)")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(max_bytes + 1)
    finally:
        os.close(fd)


def _events(text: str) -> Iterator[Any]:
    parser = StrictLoader(text)
    try:
        while parser.check_event():
            yield parser.get_event()
    finally:
        parser.dispose()


def read_yaml(
    raw: bytes,
    path: str,
    *,
    kind: FileKind = PROCEDURE_FILE,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_nodes: int = DEFAULT_MAX_NODES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> Document:
    """Read one YAML document strictly. Never raises for bad input: problems describe it."""
    collector = Collector(path)

    def fatal(code: str, message: str, position: Position = (0, 0), hint: str | None = None) -> Document:
        collector.report((), code, message, hint, at=position)
        return Document(None, SourceMap(), tuple(collector.problems))

    if len(raw) > max_bytes:
        return fatal(
            kind.too_large,
            f"the file has {len(raw):,} bytes, more than the limit of {max_bytes:,}",
            hint=kind.split_hint,
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return fatal(
            kind.not_utf8,
            f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            (line, column),
            "save the file as UTF-8",
        )
    builder = Builder(collector, kind, text, max_nodes, max_depth)
    try:
        for event in _events(text):
            if isinstance(event, yaml.DocumentStartEvent):
                builder.documents += 1
                if builder.documents > 1:
                    raise Fatal(
                        kind.documents,
                        "the file holds more than one YAML document",
                        pos(event.start_mark),
                        kind.one_document_hint,
                    )
            elif isinstance(event, yaml.ScalarEvent):
                builder.scalar(event)
            elif isinstance(event, yaml.MappingStartEvent):
                builder.start(event, {})
            elif isinstance(event, yaml.SequenceStartEvent):
                builder.start(event, [])
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                builder.end()
            elif isinstance(event, yaml.AliasEvent):
                builder.alias(event)
    except Fatal as exc:
        collector.report((), exc.code, exc.message, exc.hint, at=exc.position)
        return Document(None, builder.smap, tuple(collector.problems))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        position = pos(mark) if mark is not None else (0, 0)
        message = " ".join(part for part in (exc.context, exc.problem) if part) or "invalid YAML"
        context = pos(exc.context_mark) if exc.context_mark is not None else None
        hint = syntax_hint(text, position, message, context)
        collector.problems.clear()  # a syntax error is reported alone: what came before may be its echo
        return fatal(kind.syntax, f"YAML syntax error: {message}", position, hint)
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        offset = getattr(exc, "position", None)
        position = (0, 0)
        if isinstance(offset, int):
            position = (text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1)
        collector.problems.clear()
        return fatal(
            kind.syntax,
            f"YAML error: {str(exc).splitlines()[0]}",
            position,
            "remove control characters from the file",
        )
    if builder.documents == 0 or builder.root is None:
        collector.report((), kind.documents, "the file holds no YAML document", kind.empty_hint)
        return Document(None, builder.smap, tuple(collector.problems))
    return Document(builder.root, builder.smap, tuple(collector.problems))
