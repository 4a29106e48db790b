"""Guard patterns that would backtrack catastrophically, found before a dossier meets them.

A guard's JSON Schema may hold `pattern` (and `patternProperties`) regular expressions, which
jsonschema runs with Python's backtracking `re` engine: a nested unbounded repeat such as
`^(a+)+$` takes exponential time on a short non-matching value and would hang `act`,
`available_actions` and the sweep. The check walks the parsed expression and refuses an unbounded
repeat that contains another unbounded repeat (the classic shape of catastrophic backtracking), or
an alternation of branches under an unbounded repeat that can match the same text. Conservative: a
safe pattern may be refused (rewrite it without the nested repeat); no pattern it accepts has the
nested-repeat shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

# the parser of the `re` module itself (Python 3.11+; sre_parse is its deprecated alias)
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT}
_POSSESSIVE = getattr(sre_constants, "POSSESSIVE_REPEAT", None)
_UNBOUNDED = sre_constants.MAXREPEAT


Path = tuple[str | int, ...]


def schema_patterns(schema: Any, path: Path = ()) -> Iterator[tuple[Path, str]]:
    """Every regular expression of a JSON Schema, with its path inside the schema."""
    if isinstance(schema, Mapping):
        for key, value in schema.items():
            if key == "pattern" and isinstance(value, str):
                yield (*path, key), value
            elif key == "patternProperties" and isinstance(value, Mapping):
                for pattern in value:
                    if isinstance(pattern, str):
                        yield (*path, key, pattern), pattern
                yield from schema_patterns(value, (*path, key))
            else:
                yield from schema_patterns(value, (*path, key))
    elif isinstance(schema, list):
        for i, item in enumerate(schema):
            yield from schema_patterns(item, (*path, i))


def schema_refs(schema: Any, path: Path = ()) -> Iterator[tuple[Path, str]]:
    """Every `$ref` of a JSON Schema that does not point inside the schema itself ("#…"), with its
    path: a reference to a URL or a file would be fetched (or fail) at the first act, not at validation."""
    if isinstance(schema, Mapping):
        for key, value in schema.items():
            if key == "$ref" and isinstance(value, str) and not value.startswith("#"):
                yield (*path, key), value
            else:
                yield from schema_refs(value, (*path, key))
    elif isinstance(schema, list):
        for i, item in enumerate(schema):
            yield from schema_refs(item, (*path, i))


def backtracking_risk(pattern: str) -> str | None:
    """Why `pattern` may backtrack catastrophically, or None when it has no nested unbounded repeat."""
    try:
        parsed = sre_parse.parse(pattern)
    except re.error as exc:
        return f"it is not a valid regular expression ({exc})"
    return _walk(parsed, inside_unbounded=False)


def _walk(items: Any, *, inside_unbounded: bool) -> str | None:
    for op, arg in items:
        if op in _REPEATS:
            _low, high, body = arg
            unbounded = high == _UNBOUNDED or high > 64
            if unbounded and inside_unbounded:
                return "an unbounded repeat inside another unbounded repeat (like (a+)+)"
            found = _walk(body, inside_unbounded=inside_unbounded or unbounded)
            if found:
                return found
            if unbounded and _alternation_overlaps(body):
                return "an unbounded repeat of alternatives that can match the same text (like (a|a)*)"
        elif op == sre_constants.SUBPATTERN:
            found = _walk(arg[-1], inside_unbounded=inside_unbounded)
            if found:
                return found
        elif op == sre_constants.BRANCH:
            for branch in arg[1]:
                found = _walk(branch, inside_unbounded=inside_unbounded)
                if found:
                    return found
        elif _POSSESSIVE is not None and op == _POSSESSIVE:
            continue  # a possessive repeat never backtracks
    return None


def _alternation_overlaps(body: Any) -> bool:
    """An alternation whose branches start with the same literal or one of them is empty."""
    for op, arg in body:
        if op == sre_constants.SUBPATTERN:
            return _alternation_overlaps(arg[-1])
        if op == sre_constants.BRANCH:
            firsts = []
            for branch in arg[1]:
                if not branch:
                    return True
                first = branch[0]
                firsts.append(first)
            return len(firsts) != len(set(map(repr, firsts)))
        return False
    return False
