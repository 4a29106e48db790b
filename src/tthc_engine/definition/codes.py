"""Every diagnostic code the definition checks emit, with its default severity and a one-line title.

Codes are stable: tools and people search for them (docs/diagnostics.md explains each with an
example and a fix). A code is never reused for another meaning; a retired code stays listed.
TT0xx reading the file, TT1xx the JSON Schema, TT2xx values, TT3xx one procedure's logic, TT4xx the
catalog.
"""

from __future__ import annotations

from tthc_engine.errors import Severity

CODES: dict[str, tuple[Severity, str]] = {
    "TT001": ("error", "the file cannot be read"),
    "TT002": ("error", "the file is larger than the size limit"),
    "TT003": ("error", "the file is not UTF-8"),
    "TT004": ("error", "YAML syntax error"),
    "TT005": ("error", "duplicate key"),
    "TT006": ("error", "too many values (alias bomb)"),
    "TT007": ("error", "unsupported YAML feature (tags, merge keys, complex keys)"),
    "TT008": ("error", "not exactly one YAML document"),
    "TT009": ("error", "nested too deeply"),
    "TT010": ("error", "not a finite number"),
    "TT100": ("error", "matches none (or more than one) of the allowed shapes"),
    "TT101": ("error", "missing required key"),
    "TT102": ("error", "unknown key"),
    "TT103": ("error", "wrong type"),
    "TT104": ("error", "value not allowed"),
    "TT105": ("error", "value has the wrong form"),
    "TT106": ("error", "value or list size out of range"),
    "TT201": ("error", "not a calendar date"),
    "TT202": ("error", "not a time of day"),
    "TT301": ("error", "unknown state"),
    "TT302": ("error", "duplicate state id"),
    "TT303": ("warning", "unreachable state"),
    "TT304": ("error", "non-final state with no way out"),
    "TT305": ("error", "no final state reachable"),
    "TT306": ("error", "unknown role"),
    "TT307": ("warning", "role used by no action"),
    "TT308": ("error", "duplicate action name from one state"),
    "TT309": ("warning", "step budgets exceed the legal time"),
    "TT310": ("error", "timer names an unknown action"),
    "TT311": ("error", "timer action not available from the timer's state"),
    "TT312": ("error", "final state (with an outcome) has actions leaving it"),
    "TT313": ("error", "extend effect and extension do not match"),
    "TT314": ("error", "effective_to before effective_from"),
    "TT315": ("error", "duplicate role id"),
    "TT316": ("error", "duplicate extension name"),
    "TT317": ("error", "deadline unit, amount and cutoff do not fit"),
    "TT318": ("warning", "warn_before is not shorter than the deadline"),
    "TT319": ("error", "guard schema is not a valid JSON Schema"),
    "TT320": ("warning", "published elements missing (Decree 63/2010 Art. 8(2))"),
    "TT401": ("error", "duplicate (code, version) in the catalog"),
    "TT402": ("error", "overlapping effective dates for one code"),
    "TT403": ("error", "unknown guard predicate"),
}
