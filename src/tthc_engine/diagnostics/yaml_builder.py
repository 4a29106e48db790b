"""PyYAML's event stream → plain data and a source map, iteratively, under a budget.

The half of the strict YAML reader (yaml_reader.py) that builds values: it resolves scalars itself
(only what JSON has: text, numbers, true/false, null — so YAML 1.1's `no`, `off`, `2025-07-01` and
`15:00` stay the text the author wrote), refuses duplicate and merge keys, counts every node *with*
alias expansions before copying anything (an alias bomb is refused in O(anchors)), and bounds the
nesting depth with an explicit stack, so deep input is a problem and never a RecursionError. Which
code each refusal carries depends on the family of file being read (`FileKind`).
"""

from __future__ import annotations

import copy
import math
import re
from typing import Any

import attrs

from tthc_engine.diagnostics.collector import Collector
from tthc_engine.diagnostics.paths import JsonPath, Position, SourceMap
from tthc_engine.diagnostics.yaml_hints import duplicate_key_hint

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
_KEY_NOT_SCALAR = "a mapping key must be a plain scalar, not a list or mapping"


@attrs.frozen
class FileKind:
    """A family of YAML files: the code it reports for each way reading can fail, and its wording.

    The reader is the same for every family; only these differ, so a procedure reports TT0xx codes
    and a calendar overlay TC1xx codes for the same mistake (docs/diagnostics.md lists both).
    """

    too_large: str
    not_utf8: str
    syntax: str  # also an unknown alias and control characters
    duplicate_key: str
    too_many_values: str
    unsupported: str  # tags, merge keys, complex keys, a tagged value that does not fit its tag
    documents: str  # none, or more than one
    too_deep: str
    not_finite: str
    split_hint: str  # the hint for a file over the size limit
    content_hint: str  # what such a file holds, for the hint of a refused tag
    one_document_hint: str
    empty_hint: str

    def codes(self) -> tuple[str, ...]:
        """Every code this family's reader can report."""
        return (
            self.too_large,
            self.not_utf8,
            self.syntax,
            self.duplicate_key,
            self.too_many_values,
            self.unsupported,
            self.documents,
            self.too_deep,
            self.not_finite,
        )


def pos(mark: Any) -> Position:
    return (int(mark.line) + 1, int(mark.column) + 1)


class Fatal(Exception):
    """A problem after which the document cannot be read on (it is reported at the document root)."""

    def __init__(self, code: str, message: str, position: Position, hint: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.position, self.hint = code, message, position, hint


# integers a procedure or overlay may hold: those an IEEE double carries exactly (RFC 8259 §6), so a
# hex literal of thousands of digits is a positioned problem, not an OverflowError further on
_MAX_SAFE_INT = 2**53
_MAX_INT_TEXT = 64


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


class Builder:
    """Turns parser events into plain data with an explicit stack (no recursion on deep input)."""

    def __init__(
        self, collector: Collector, kind: FileKind, text: str, max_nodes: int, max_depth: int
    ) -> None:
        self.collector = collector
        self.kind = kind
        self.text = text  # only read to word the hint of a problem
        self.max_nodes = max_nodes
        self.max_depth = max_depth
        self.nodes = 0
        self.anchors: dict[str, tuple[Any, int]] = {}  # anchor → (value, expanded node count)
        self.smap = SourceMap()
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.documents = 0

    def problem(
        self, code: str, message: str, position: Position, json: JsonPath = (), hint: str | None = None
    ) -> None:
        self.collector.report(json, code, message, hint, at=position)

    def count(self, n: int, position: Position) -> None:
        self.nodes += n
        if self.nodes > self.max_nodes:
            raise Fatal(
                self.kind.too_many_values,
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
                raise Fatal(self.kind.unsupported, _KEY_NOT_SCALAR, position, "write the key as text")
            key_path = (*frame.path, key_text)
            if key_text == "<<":
                self.problem(
                    self.kind.unsupported,
                    "merge keys (<<) are not supported",
                    position,
                    key_path,
                    "write the keys out instead of merging a mapping",
                )
                frame.key = _SKIP
            elif key_text in frame.container:
                first = self.smap.keys.get(key_path, (0, 0))
                self.problem(
                    self.kind.duplicate_key,
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
        position = pos(event.start_mark)
        self.count(1, position)
        path = self.child_path(position)
        tag, text = event.tag, event.value
        value: Any = text
        if tag is not None and tag not in _ALLOWED_TAGS:
            self.problem(
                self.kind.unsupported,
                f"the YAML tag {tag!r} is not allowed",
                position,
                path or (),
                f"remove the tag; {self.kind.content_hint}",
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
                if len(text) > _MAX_INT_TEXT or abs(integer := _to_int(text)) > _MAX_SAFE_INT:
                    self.problem(
                        self.kind.not_finite,
                        f"{text[:24]}{'…' if len(text) > 24 else ''} is too large a number "
                        f"({len(text)} characters; at most ±2**53 is read exactly)",
                        position,
                        path,
                        "write the number plainly (amounts, days and hours are small); quote a code",
                    )
                    return None
                return integer
            if want == "float" or (want is None and _FLOAT.match(text)):
                number = _to_float(text)
                if not math.isfinite(number):
                    self.problem(
                        self.kind.not_finite,
                        f"{text!r} is not a finite number",
                        position,
                        path,
                        "write a plain number such as 5 or 0.5",
                    )
                return number
        except ValueError:
            self.problem(
                self.kind.unsupported,
                f"{text!r} cannot be read as {want}",
                position,
                path,
                "remove the explicit tag or fix the value",
            )
        return text

    def start(self, event: Any, container: dict[str, Any] | list[Any]) -> None:
        position = pos(event.start_mark)
        tag = event.tag
        if tag is not None and tag not in _ALLOWED_TAGS:
            self.problem(
                self.kind.unsupported, f"the YAML tag {tag!r} is not allowed", position, (), "remove the tag"
            )
        self.count(1, position)
        path = self.child_path(position)
        if path is None:
            raise Fatal(self.kind.unsupported, _KEY_NOT_SCALAR, position, "write the key as text")
        if len(self.stack) >= self.max_depth:
            raise Fatal(
                self.kind.too_deep,
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
        position = pos(event.start_mark)
        if event.anchor not in self.anchors:
            raise Fatal(
                self.kind.syntax,
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
