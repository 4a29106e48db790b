"""Declarative guards: a JSON Schema the dossier data must satisfy, or a host-registered predicate.

YAML never carries code (DESIGN.md, "Guards are declarative"): a predicate guard names a function
the host app registers with `Engine(guards={...})`; a name nobody registered is a configuration
error when the engine is built, not a surprise on the first act.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import jsonschema
from jsonschema.protocols import Validator

from tthc_engine.definition.model import Guard, Procedure
from tthc_engine.errors import ConfigurationError

Predicate = Callable[[Mapping[str, Any]], bool]


def check_predicates(procedures: Iterable[Procedure], predicates: Mapping[str, Predicate]) -> None:
    """Raise ConfigurationError listing every predicate guard no host function was registered for."""
    missing: list[str] = []
    for proc in procedures:
        named = [(f"action {a.name!r}", a.guard) for a in proc.actions]
        named += [(f"extension {e.name!r}", e.when) for e in proc.deadline.extensions]
        for where, guard in named:
            if guard is not None and guard.predicate is not None and guard.predicate not in predicates:
                missing.append(f"{proc.code} {proc.version} {where}: predicate {guard.predicate!r}")
    if missing:
        known = ", ".join(sorted(predicates)) or "none"
        raise ConfigurationError(
            "guard predicates are named in the catalog but not registered with the engine:\n  "
            + "\n  ".join(missing)
            + f"\nregister them with Engine(..., guards={{'name': function}}); registered: {known}"
        )


class GuardChecker:
    """Evaluates guards; compiled JSON Schema validators are cached per guard."""

    def __init__(self, predicates: Mapping[str, Predicate]) -> None:
        self._predicates = dict(predicates)
        self._validators: dict[int, tuple[Guard, Validator]] = {}
        self._lock = threading.Lock()

    def reasons(self, guard: Guard, data: Mapping[str, Any]) -> list[str]:
        """Why `data` fails `guard` (empty when it passes)."""
        if guard.predicate is not None:
            if self._predicates[guard.predicate](data):
                return []
            return [guard.message or f"the condition {guard.predicate!r} is not met"]
        if guard.schema is None:
            return []
        found = self._validators.get(id(guard))
        if found is None or found[0] is not guard:
            cls = jsonschema.validators.validator_for(guard.schema)
            found = (guard, cls(guard.schema))
            with self._lock:
                self._validators[id(guard)] = found
        # jsonschema's "object" type means dict; a dossier's data is a read-only mapping view
        document = data if isinstance(data, dict) else dict(data)
        errors = sorted(found[1].iter_errors(document), key=lambda e: list(e.absolute_path))
        if not errors:
            return []
        out = [guard.message] if guard.message else []
        out += [f"{e.json_path}: {e.message}" for e in errors]
        return out
