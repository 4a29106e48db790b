"""A strict, safe YAML reader: plain data plus a source map, or diagnostics — never code, never a guess.

Why not `yaml.safe_load`: YAML 1.1 turns `no` (a Norwegian country code, a "no" answer) into False,
`2025-07-01` into a date and `15:00` into the integer 900 (base 60); it silently keeps the last of two
duplicate keys; and its aliases let a 1 KiB "billion laughs" file expand into gigabytes once a
validator walks it. Authors of legal data need none of that. So we take only the *event stream* of
PyYAML's safe parser (libyaml when available) and build the data ourselves, iteratively:

- scalars resolve to str, int, float, bool (only true/false) and None; `yes/no/on/off`, timestamps and
  base-60 numbers stay strings; explicit tags other than the core ones are refused;
- duplicate keys, merge keys (`<<`), complex keys and several documents are problems;
- every node counts toward a budget *including alias expansions* (checked before copying, so an alias
  bomb is refused in O(anchors) time and memory), nesting depth is bounded, the file size is bounded;
- every value remembers its line and column, keyed by its JSON path (a tuple of keys and indexes).
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Iterator
from typing import Any

import attrs
import yaml

from tthc_engine.definition.hints import duplicate_key_hint, syntax_hint
from tthc_engine.errors import Problem

JsonPath = tuple[str | int, ...]
Position = tuple[int, int]  # 1-based line, column

DEFAULT_MAX_BYTES = 1024 * 1024
DEFAULT_MAX_NODES = 200_000
DEFAULT_MAX_DEPTH = 64

_PARSER: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# YAML 1.1 core scalars as PyYAML resolves them, minus base-60 numbers, yes/no/on/off and timestamps.
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_CORE = "tag:yaml.org,2002:"
_SKIP = "\x00skipped"  # the key slot of a duplicate or merge key: its value is read, then dropped
_ALLOWED_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "seq", "map")} | {"!"}


@attrs.define
class SourceMap:
    """Where each value (and each mapping key) of a document was written."""

    values: dict[JsonPath, Position] = attrs.field(factory=dict)
    keys: dict[JsonPath, Position] = attrs.field(factory=dict)
    raw: dict[JsonPath, str] = attrs.field(factory=dict)  # the source text of non-string scalars

    def position(self, path: JsonPath, *, key: bool = False) -> Position:
        """The position of `path`, or of its nearest ancestor that was written down."""
        table = self.keys if key else self.values
        if path in table:
            return table[path]
        while path:
            path = path[:-1]
            if path in self.values:
                return self.values[path]
        return (1, 1)


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


def json_path(path: JsonPath) -> str:
    """`("states", 2, "id")` → `$.states[2].id` (keys that are not identifiers are quoted)."""
    out = ["$"]
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif part.isidentifier():
            out.append(f".{part}")
        else:
            out.append("[" + repr(part) + "]")
    return "".join(out)


def _pos(mark: Any) -> Position:
    return (int(mark.line) + 1, int(mark.column) + 1)


class _Fatal(Exception):
    def __init__(self, code: str, message: str, position: Position, hint: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.position, self.hint = code, message, position, hint


def _to_int(text: str) -> int:
    value = text.replace("_", "")
    sign = -1 if value.startswith("-") else 1
    value = value.lstrip("+-")
    if value.startswith("0b"):
        return sign * int(value[2:], 2)
    if value.startswith("0x"):
        return sign * int(value[2:], 16)
    if value != "0" and value.startswith("0"):
        return sign * int(value, 8)  # YAML 1.1 octal, as PyYAML reads it
    return sign * int(value)


def _to_float(text: str) -> float:
    value = text.replace("_", "").lower()
    if value.endswith(".inf"):
        return -math.inf if value.startswith("-") else math.inf
    if value == ".nan":
        return math.nan
    return float(value)


@attrs.define
class _Frame:
    container: dict[str, Any] | list[Any]
    path: JsonPath
    anchor: str | None
    nodes_at_start: int
    key: str | None = None  # mappings: the key waiting for its value
    expect_key: bool = True


class _Builder:
    """Turns parser events into plain data with an explicit stack (no recursion on deep input)."""

    def __init__(self, path: str, text: str, max_nodes: int, max_depth: int) -> None:
        self.path = path
        self.text = text  # only read to word the hint of a problem
        self.max_nodes = max_nodes
        self.max_depth = max_depth
        self.nodes = 0
        self.anchors: dict[str, tuple[Any, int]] = {}  # anchor → (value, expanded node count)
        self.smap = SourceMap()
        self.problems: list[Problem] = []
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.documents = 0

    def problem(
        self, code: str, message: str, position: Position, json: JsonPath = (), hint: str | None = None
    ) -> None:
        self.problems.append(
            Problem(self.path, position[0], position[1], code, message, "error", json_path(json), hint)
        )

    def count(self, n: int, position: Position) -> None:
        self.nodes += n
        if self.nodes > self.max_nodes:
            raise _Fatal(
                "TT006",
                f"the document expands to more than {self.max_nodes:,} values (aliases included)",
                position,
                "an alias bomb or a runaway document: write the values out, or split the file",
            )

    def child_path(self, position: Position) -> JsonPath | None:
        """The JSON path of the node about to be added; None when it is a mapping key."""
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            return (*frame.path, len(frame.container))
        if frame.expect_key:
            return None
        assert frame.key is not None
        return (*frame.path, frame.key)

    def add(
        self,
        value: Any,
        position: Position,
        anchor: str | None,
        nodes: int,
        is_key_scalar: bool = False,
        key_text: str | None = None,
    ) -> None:
        if anchor is not None:
            self.anchors[anchor] = (value, nodes)
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            frame.container.append(value)
            return
        if frame.expect_key:
            if not is_key_scalar or key_text is None:
                raise _Fatal(
                    "TT007",
                    "a mapping key must be a plain scalar, not a list or mapping",
                    position,
                    "write the key as text",
                )
            key_path = (*frame.path, key_text)
            if key_text == "<<":
                self.problem(
                    "TT007",
                    "merge keys (<<) are not supported",
                    position,
                    key_path,
                    "write the keys out instead of merging a mapping",
                )
                frame.key = _SKIP
            elif key_text in frame.container:
                first = self.smap.keys.get(key_path, (0, 0))
                self.problem(
                    "TT005",
                    f"duplicate key {key_text!r} (first written at line {first[0]})",
                    position,
                    key_path,
                    duplicate_key_hint(self.text, position[0]),
                )
                frame.key = _SKIP
            else:
                frame.key = key_text
                self.smap.keys[key_path] = position
            frame.expect_key = False
            return
        assert frame.key is not None
        if frame.key != _SKIP:
            frame.container[frame.key] = value
        frame.key = None
        frame.expect_key = True

    def scalar(self, event: Any) -> None:
        position = _pos(event.start_mark)
        self.count(1, position)
        path = self.child_path(position)
        tag, text = event.tag, event.value
        value: Any = text
        if tag is not None and tag not in _ALLOWED_TAGS:
            self.problem(
                "TT007",
                f"the YAML tag {tag!r} is not allowed",
                position,
                path or (),
                "remove the tag; procedure files hold only text, numbers, true/false, lists and mappings",
            )
        elif path is None:  # a key: always its text, whatever it looks like
            self.add(text, position, event.anchor, 1, is_key_scalar=True, key_text=str(text))
            return
        elif tag is None and event.implicit[0]:  # a plain scalar: resolve it
            value = self.resolve(text, None, position, path)
        elif tag not in (None, "!", _CORE + "str"):  # an explicit core tag such as !!int
            value = self.resolve(text, tag, position, path)
        if path is not None and _SKIP not in path:
            self.smap.values[path] = position
            if not isinstance(value, str):
                self.smap.raw[path] = text
        self.add(value, position, event.anchor, 1)

    def resolve(self, text: str, tag: str | None, position: Position, path: JsonPath) -> Any:
        want = tag[len(_CORE) :] if tag and tag.startswith(_CORE) else None
        try:
            if want == "null" or (want is None and _NULL.match(text)):
                return None
            if want == "bool" or (want is None and _BOOL.match(text)):
                return text.lower() == "true"
            if want == "int" or (want is None and _INT.match(text)):
                return _to_int(text)
            if want == "float" or (want is None and _FLOAT.match(text)):
                number = _to_float(text)
                if not math.isfinite(number):
                    self.problem(
                        "TT010",
                        f"{text!r} is not a finite number",
                        position,
                        path,
                        "write a plain number such as 5 or 0.5",
                    )
                return number
        except ValueError:
            self.problem(
                "TT007",
                f"{text!r} cannot be read as {want}",
                position,
                path,
                "remove the explicit tag or fix the value",
            )
        return text

    def start(self, event: Any, container: dict[str, Any] | list[Any]) -> None:
        position = _pos(event.start_mark)
        tag = event.tag
        if tag is not None and tag not in _ALLOWED_TAGS:
            self.problem("TT007", f"the YAML tag {tag!r} is not allowed", position, (), "remove the tag")
        self.count(1, position)
        path = self.child_path(position)
        if path is None:
            raise _Fatal(
                "TT007",
                "a mapping key must be a plain scalar, not a list or mapping",
                position,
                "write the key as text",
            )
        if len(self.stack) >= self.max_depth:
            raise _Fatal(
                "TT009",
                f"the document is nested more than {self.max_depth} levels deep",
                position,
                "flatten the structure",
            )
        if _SKIP not in path:
            self.smap.values[path] = position
        self.stack.append(_Frame(container, path, event.anchor, self.nodes - 1))

    def end(self) -> None:
        frame = self.stack.pop()
        position = self.smap.values.get(frame.path, (1, 1))
        self.add(frame.container, position, frame.anchor, self.nodes - frame.nodes_at_start)

    def alias(self, event: Any) -> None:
        position = _pos(event.start_mark)
        if event.anchor not in self.anchors:
            raise _Fatal(
                "TT004",
                f"unknown or unfinished alias *{event.anchor}",
                position,
                "define the anchor (&name) before using it, outside the value it names",
            )
        value, nodes = self.anchors[event.anchor]
        self.count(nodes, position)  # before copying: an alias bomb never materialises
        path = self.child_path(position)
        if path is None:
            is_scalar = not isinstance(value, dict | list)
            self.add(
                value,
                position,
                None,
                nodes,
                is_key_scalar=is_scalar,
                key_text=str(value) if is_scalar else None,
            )
            return
        if _SKIP not in path:
            self.smap.values[path] = position
        self.add(copy.deepcopy(value), position, None, nodes)


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
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_nodes: int = DEFAULT_MAX_NODES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> Document:
    """Read one YAML document strictly. Never raises for bad input: problems describe it."""

    def fatal(code: str, message: str, position: Position = (0, 0), hint: str | None = None) -> Document:
        problem = Problem(path, position[0], position[1], code, message, "error", "$", hint)
        return Document(None, SourceMap(), (problem,))

    if len(raw) > max_bytes:
        return fatal(
            "TT002",
            f"the file has {len(raw):,} bytes, more than the limit of {max_bytes:,}",
            hint="split the procedure, or raise max_bytes if this size is intended",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return fatal(
            "TT003",
            f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            (line, column),
            "save the file as UTF-8",
        )
    builder = _Builder(path, text, max_nodes, max_depth)
    try:
        for event in _events(text):
            if isinstance(event, yaml.DocumentStartEvent):
                builder.documents += 1
                if builder.documents > 1:
                    raise _Fatal(
                        "TT008",
                        "the file holds more than one YAML document",
                        _pos(event.start_mark),
                        "keep one procedure version per file",
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
    except _Fatal as exc:
        problems = [
            *builder.problems,
            Problem(path, *exc.position, exc.code, exc.message, "error", "$", exc.hint),
        ]
        return Document(None, builder.smap, tuple(problems))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        position = _pos(mark) if mark is not None else (0, 0)
        message = " ".join(part for part in (exc.context, exc.problem) if part) or "invalid YAML"
        context = _pos(exc.context_mark) if exc.context_mark is not None else None
        hint = syntax_hint(text, position, message, context)
        return fatal("TT004", f"YAML syntax error: {message}", position, hint)
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        offset = getattr(exc, "position", None)
        position = (0, 0)
        if isinstance(offset, int):
            position = (text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1)
        return fatal(
            "TT004",
            f"YAML error: {str(exc).splitlines()[0]}",
            position,
            "remove control characters from the file",
        )
    if builder.documents == 0 or builder.root is None:
        empty = Problem(
            path, 0, 0, "TT008", "the file holds no YAML document", "error", "$", "write the procedure's keys"
        )
        return Document(None, builder.smap, (*builder.problems, empty))
    return Document(builder.root, builder.smap, tuple(builder.problems))
