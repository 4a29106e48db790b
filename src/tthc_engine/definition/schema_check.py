"""JSON Schema validation of a procedure document, every error mapped back to file:line:column.

The schema (schemas/procedure.schema.json) is the single source of truth for the format; it is read
and compiled once per process. All errors are reported (`iter_errors`), never only the first or the
"best" one, and each becomes a Problem with a stable code, the JSON path and a hint where one helps.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Iterable
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError, best_match

from tthc_engine._resources import schema_path
from tthc_engine.definition.hints import (
    boolean_hint,
    date_hint,
    enum_hint,
    integer_hint,
    list_hint,
    time_hint,
)
from tthc_engine.diagnostics import Collector, JsonPath, SourceMap, json_path
from tthc_engine.errors import Problem

PROCEDURE_SCHEMA = "procedure.schema.json"

# Friendly names for the schema's patterns, so a message says "a date" rather than a regex.
_DATE, _TIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", r"^[0-9]{2}:[0-9]{2}$"
_PATTERN_NAMES = {
    _DATE: "a date written YYYY-MM-DD",
    _TIME: "a time of day written HH:MM",
    r"^[a-z][a-z0-9_]{0,63}$": "an identifier (lowercase letters, digits and _, starting with a letter)",
}
_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


@functools.cache
def load_schema(filename: str = PROCEDURE_SCHEMA) -> dict[str, Any]:
    """The parsed JSON Schema shipped with the library (read once per process)."""
    with schema_path(filename).open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


def _whole_number(_checker: object, instance: object) -> bool:
    # JSON Schema counts 75.0 as an integer; in YAML it is `75.000` (a fee written the Vietnamese way,
    # meaning 75000) or `75.0`, neither a whole number as written, so an integer is an int (not a bool).
    return isinstance(instance, int) and not isinstance(instance, bool)


_STRICT_TYPES = Draft202012Validator.TYPE_CHECKER.redefine("integer", _whole_number)


@functools.cache
def procedure_validator() -> Draft202012Validator:
    """The compiled validator for procedure documents (built once: compiling costs more than using).

    Draft 2020-12 with one change: `"type": "integer"` accepts whole numbers as written, not `75.0`.
    """
    schema = load_schema(PROCEDURE_SCHEMA)
    Draft202012Validator.check_schema(schema)
    extend: Any = validators.extend  # untyped in jsonschema
    strict = extend(Draft202012Validator, type_checker=_STRICT_TYPES)
    validator: Draft202012Validator = strict(schema)
    return validator


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "a mapping"


def _close(word: str, options: Iterable[Any]) -> str | None:
    names = [str(o) for o in options]
    match = difflib.get_close_matches(str(word), names, n=1, cutoff=0.6)
    return f"did you mean {match[0]!r}?" if match else None


class _Mapper:
    """Turns each jsonschema ValidationError into TT1xx problems (one per distinct place and message)."""

    def __init__(self, path: str, smap: SourceMap) -> None:
        self.collector = Collector(path, smap)
        self.smap = smap
        self.seen: set[tuple[JsonPath, str, str]] = set()

    def make(
        self, where: JsonPath, code: str, message: str, hint: str | None = None, *, key: bool = False
    ) -> None:
        if (where, code, message) in self.seen:
            return
        self.seen.add((where, code, message))
        self.collector.report(where, code, message, hint, key=key)

    def convert(self, error: ValidationError) -> None:
        where: JsonPath = tuple(error.absolute_path)
        jp = json_path(where)
        keyword = error.validator
        expected: Any = error.validator_value
        instance: Any = error.instance
        schema: Any = error.schema
        if keyword == "additionalProperties":
            known = schema.get("properties", {})
            patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
            for extra in instance:
                if extra in known or any(p.search(extra) for p in patterns):
                    continue
                hint = _close(extra, known)
                if hint is None and instance[extra] is None:
                    # `{vi: Tiếp nhận, hoàn thiện}`: an unquoted comma inside { } starts a new key
                    hint = 'a "," inside unquoted text in { } starts a new key: quote the whole text'
                hint = hint or "keys starting with 'x-' are allowed for extension data"
                self.make((*where, extra), "TT102", f"unknown key {extra!r} in {jp}", hint, key=True)
        elif keyword == "required":
            for name in expected:
                if name not in instance:
                    self.make(where, "TT101", f"{jp} is missing the required key {name!r}", f"add `{name}:`")
        elif keyword == "type":
            wanted = [expected] if isinstance(expected, str) else list(expected)
            names = " or ".join(_TYPE_NAMES.get(t, t) for t in wanted)
            hint = None
            raw = self.smap.raw.get(where, str(instance))
            if "string" in wanted and not isinstance(instance, dict | list):
                hint = f'quote it: "{raw}" (YAML reads it as {_type_name(instance)})'
            elif wanted == ["boolean"]:
                hint = boolean_hint(instance)
            elif wanted == ["array"] and not isinstance(instance, dict | list) and instance is not None:
                hint = list_hint(raw)
            elif "integer" in wanted and isinstance(instance, str | float):
                hint = integer_hint(raw, instance, money=bool(where) and where[-1] == "amount_vnd")
            what = _type_name(instance)
            if "integer" in wanted and isinstance(instance, float):
                what = f"the decimal number {raw}"
            self.make(where, "TT103", f"{jp} must be {names}, not {what}", hint)
        elif keyword in ("enum", "const"):
            options = list(expected) if keyword == "enum" else [expected]
            listed = ", ".join(str(o) for o in options)
            raw = self.smap.raw.get(where, str(instance))
            hint = enum_hint(raw, options)
            if hint is None and isinstance(instance, str):
                hint = _close(raw, options)
            if hint is None and len(options) == 1 and isinstance(options[0], str):
                hint = f"write {options[0]!r}"
            self.make(where, "TT104", f"{jp} is {raw!r}; allowed: {listed}", hint)
        elif keyword in ("pattern", "minLength", "format"):
            form = (
                _PATTERN_NAMES.get(str(expected), f"the pattern {expected}")
                if keyword == "pattern"
                else "non-empty text"
            )
            hint = None
            if keyword == "pattern" and isinstance(instance, str) and expected in (_DATE, _TIME):
                hint = date_hint(instance) if expected == _DATE else time_hint(instance)
            self.make(where, "TT105", f"{jp} is {instance!r}; expected {form}", hint)
        elif keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            self.make(where, "TT106", f"{jp} is {instance!r}; {error.message.split(' is ', 1)[-1]}")
        elif keyword in ("minItems", "maxItems", "uniqueItems"):
            text = {
                "minItems": f"needs at least {expected} item(s)",
                "maxItems": f"allows at most {expected} item(s)",
                "uniqueItems": "has the same item more than once",
            }[keyword]
            self.make(where, "TT106", f"{jp} {text}")
        elif keyword in ("oneOf", "anyOf"):
            self._alternatives(error, where)
        else:
            self.make(where, "TT100", f"{jp}: {error.message}")

    def _alternatives(self, error: ValidationError, where: JsonPath) -> None:
        jp = json_path(where)
        options: Any = error.validator_value
        only_required = all(set(o) == {"required"} for o in options)
        if only_required:  # "exactly one of these keys" (the guard's schema | predicate)
            keys = " or ".join(repr(k) for o in options for k in o["required"])
            self.make(
                where,
                "TT100",
                f"{jp} needs exactly one of {keys}",
                "keep one key: a guard is either a JSON Schema or a predicate name",
            )
            return
        if error.context:
            # Prefer what went wrong inside the alternative that matches the value's shape.
            same_shape = [e for e in error.context if e.validator != "type"]
            chosen = best_match(same_shape or error.context)
            if chosen is not None:
                self.convert(chosen)
                return
        schema: Any = error.schema
        title = schema.get("title", "the allowed shapes")
        self.make(where, "TT100", f"{jp} does not match {title}")


def schema_problems(data: Any, smap: SourceMap, path: str) -> list[Problem]:
    """Every schema error of `data`, positioned, in document order."""
    mapper = _Mapper(path, smap)
    for error in procedure_validator().iter_errors(data):
        mapper.convert(error)
    return sorted(mapper.collector.problems, key=lambda p: (p.line, p.column, p.code))
