"""Every diagnostic code the library emits, with its severity and a one-line title: one registry.

A check names a code; its severity is looked up here, never passed where the problem is reported,
so a code means one thing at one severity everywhere (tests/definition/test_diagnostic_codes.py
checks that every code written in src/ is registered and that no call site passes a severity).
Codes are stable: tools and people search for them, and docs/diagnostics.md explains each with an
example and a fix. A code is never reused for another meaning; a retired code stays listed.

Families: TT0xx reading a procedure file, TT1xx its JSON Schema, TT2xx values, TT3xx one procedure's
logic, TT4xx the catalog; TC1xx calendar overlays (reading, schema and values alike); TS scenario files
(TS0xx reading, TS1xx their schema, TS2xx values, TS3xx a story that did not go as expected).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import attrs

from tthc_engine.errors import Severity


@attrs.frozen
class Code:
    """One registered diagnostic code."""

    code: str
    severity: Severity
    title: str


_ALL = (
    # procedure files: reading (the YAML reader's PROCEDURE_FILE kind)
    Code("TT001", "error", "the file cannot be read"),
    Code("TT002", "error", "the file is larger than the size limit"),
    Code("TT003", "error", "the file is not UTF-8"),
    Code("TT004", "error", "YAML syntax error"),
    Code("TT005", "error", "duplicate key"),
    Code("TT006", "error", "too many values (alias bomb)"),
    Code("TT007", "error", "unsupported YAML feature (tags, merge keys, complex keys)"),
    Code("TT008", "error", "not exactly one YAML document"),
    Code("TT009", "error", "nested too deeply"),
    Code("TT010", "error", "not a finite number, or too large to read exactly"),
    # procedure files: the JSON Schema
    Code("TT100", "error", "matches none (or more than one) of the allowed shapes"),
    Code("TT101", "error", "missing required key"),
    Code("TT102", "error", "unknown key"),
    Code("TT103", "error", "wrong type"),
    Code("TT104", "error", "value not allowed"),
    Code("TT105", "error", "value has the wrong form"),
    Code("TT106", "error", "value or list size out of range"),
    # procedure files: values the schema cannot check
    Code("TT201", "error", "not a calendar date"),
    Code("TT202", "error", "not a time of day"),
    # one procedure's logic
    Code("TT301", "error", "unknown state"),
    Code("TT302", "error", "duplicate state id"),
    Code("TT303", "warning", "unreachable state"),
    Code("TT304", "error", "non-final state with no way out"),
    Code("TT305", "error", "no final state reachable"),
    Code("TT306", "error", "unknown role"),
    Code("TT307", "warning", "role used by no action"),
    Code("TT308", "error", "duplicate action name from one state"),
    Code("TT309", "warning", "step budgets exceed the legal time"),
    Code("TT310", "error", "timer names an unknown action"),
    Code("TT311", "error", "timer action not available from the timer's state"),
    Code("TT312", "error", "final state (with an outcome) has actions leaving it"),
    Code("TT313", "error", "extend effect and extension do not match"),
    Code("TT314", "error", "effective_to before effective_from"),
    Code("TT315", "error", "duplicate role id"),
    Code("TT316", "error", "duplicate extension name or warning kind"),
    Code("TT317", "error", "deadline unit, amount and cutoff do not fit"),
    Code("TT318", "warning", "warn_before is not shorter than the deadline"),
    Code("TT319", "error", "guard schema is not a valid JSON Schema"),
    Code("TT320", "warning", "published elements missing (Decree 63/2010 Art. 8(2))"),
    Code("TT321", "warning", "extension named without the extend effect"),
    Code("TT322", "warning", "issues_form names a form not declared under forms"),
    Code("TT323", "error", "step budgets exceed the legal time on a path with a statutory budget"),
    Code("TT324", "warning", "public_status contradicts the state's outcome"),
    Code("TT325", "warning", "public_status contradicts the state's clock"),
    Code("TT326", "warning", "the role id 'system' is reserved for the engine's timers"),
    Code("TT327", "error", "a guard pattern may backtrack catastrophically"),
    Code("TT328", "error", "a guard refers to a schema outside itself"),
    # the catalog
    Code("TT401", "error", "duplicate (code, version) in the catalog"),
    Code("TT402", "error", "overlapping effective dates for one code"),
    Code("TT403", "error", "unknown guard predicate"),
    # calendar overlays (the YAML reader's OVERLAY_FILE kind for TC100, TC105, TC108–TC114)
    Code("TC100", "error", "YAML syntax error in a calendar overlay"),
    Code("TC101", "error", "does not match the calendar overlay schema"),
    Code("TC102", "error", "impossible date, or outside the calendar's range"),
    Code("TC103", "error", "range ends before it starts"),
    Code("TC104", "error", "bad or overlapping office sessions"),
    Code("TC105", "error", "duplicate key"),
    Code("TC106", "error", "the overlay file cannot be read"),
    Code("TC107", "error", "weekly session on a working weekday"),
    Code("TC108", "error", "the overlay is larger than the size limit"),
    Code("TC109", "error", "the overlay is not UTF-8"),
    Code("TC110", "error", "too many values (alias bomb)"),
    Code("TC111", "error", "unsupported YAML feature (tags, merge keys, complex keys)"),
    Code("TC112", "error", "not exactly one YAML document"),
    Code("TC113", "error", "nested too deeply"),
    Code("TC114", "error", "not a finite number, or too large to read exactly"),
    # scenario files (the scenario reader's SCENARIO_FILE kind for TS002-TS010; tthc test)
    Code("TS001", "error", "the scenario file cannot be read"),
    Code("TS002", "error", "the scenario file is larger than the size limit"),
    Code("TS003", "error", "the scenario file is not UTF-8"),
    Code("TS004", "error", "YAML syntax error in a scenario file"),
    Code("TS005", "error", "duplicate key in a scenario file"),
    Code("TS006", "error", "too many values (alias bomb) in a scenario file"),
    Code("TS007", "error", "unsupported YAML feature in a scenario file"),
    Code("TS008", "error", "not exactly one YAML document in a scenario file"),
    Code("TS009", "error", "scenario file nested too deeply"),
    Code("TS010", "error", "not a finite number in a scenario file"),
    Code("TS100", "error", "does not match the scenario schema"),
    Code("TS201", "error", "not a moment (date, time and UTC offset)"),
    Code("TS202", "error", "unknown actor"),
    Code("TS203", "error", "unknown procedure in the catalog"),
    Code("TS204", "error", "calendar overlay of a scenario cannot be loaded"),
    Code("TS205", "error", "a step needs a lodged dossier"),
    Code("TS206", "error", "not a valid regular expression"),
    Code("TS301", "error", "an expectation was not met"),
    Code("TS302", "error", "a step raised an error the scenario did not expect"),
    Code("TS303", "error", "the expected error was not raised"),
)

CODES: Mapping[str, Code] = MappingProxyType({c.code: c for c in _ALL})


def lookup(code: str) -> Code:
    """The registered code; an unregistered one is a bug of the check that names it."""
    try:
        return CODES[code]
    except KeyError:
        raise KeyError(
            f"diagnostic code {code!r} is not registered: add it with its severity and title to "
            "tthc_engine/diagnostics/codes.py and document it in docs/diagnostics.md"
        ) from None


def severity(code: str) -> Severity:
    """The severity of a registered code (KeyError for an unregistered one)."""
    return lookup(code).severity
