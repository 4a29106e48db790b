"""THE guard evaluator: a JSON Schema the dossier data must satisfy, or a host-registered predicate.

YAML never carries code: a predicate guard names a function the host registers with
`Engine(guards={...})`; a name nobody registered is a configuration error when the engine is built,
not a surprise on the first act. One evaluator serves every place a guard is read — an action's
guard (runtime checks, available actions) and an extension's `when` (the deadline rules) — so the
registered predicates reach all of them, and each JSON Schema is compiled once per procedure
version (`prepare`), not once per act.
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


def _guards_of(procedure: Procedure) -> list[tuple[str, Guard]]:
    """Every guard of a procedure with the words that name where it is."""
    named = [(f"action {a.name!r}", a.guard) for a in procedure.actions]
    named += [(f"extension {e.name!r}", e.when) for e in procedure.deadline.extensions]
    return [(where, guard) for where, guard in named if guard is not None]


class GuardEvaluator:
    """Evaluates guards against dossier data with the host's predicates; thread-safe.

    Compiled validators are kept per guard object (guards are parts of frozen procedure versions,
    so a guard object is one guard of one version for the life of the catalog).
    """

    def __init__(self, predicates: Mapping[str, Predicate] | None = None) -> None:
        self.predicates: Mapping[str, Predicate] = dict(predicates or {})
        self._validators: dict[int, tuple[Guard, Validator]] = {}
        self._lock = threading.Lock()

    def check_registered(self, procedures: Iterable[Procedure]) -> None:
        """ConfigurationError listing every predicate guard no host function was registered for."""
        missing = [
            f"{proc.code} {proc.version} {where}: predicate {guard.predicate!r}"
            for proc in procedures
            for where, guard in _guards_of(proc)
            if guard.predicate is not None and guard.predicate not in self.predicates
        ]
        if missing:
            known = ", ".join(sorted(self.predicates)) or "none"
            raise ConfigurationError(
                "guard predicates are named in the catalog but not registered with the engine:\n  "
                + "\n  ".join(missing)
                + f"\nregister them with Engine(..., guards={{'name': function}}); registered: {known}"
            )

    def prepare(self, procedure: Procedure) -> None:
        """Compile every JSON Schema guard of one procedure version now (once per version)."""
        for _where, guard in _guards_of(procedure):
            if guard.schema is not None:
                self._validator(guard)

    def _validator(self, guard: Guard) -> Validator:
        found = self._validators.get(id(guard))
        if found is None or found[0] is not guard:
            assert guard.schema is not None
            cls = jsonschema.validators.validator_for(guard.schema, default=jsonschema.Draft202012Validator)
            found = (guard, cls(guard.schema))
            with self._lock:
                self._validators[id(guard)] = found
        return found[1]

    def decide(self, guard: Guard, data: Mapping[str, Any]) -> bool | None:
        """Whether `data` satisfies `guard`; None when it names a predicate nobody registered."""
        if guard.predicate is not None:
            fn = self.predicates.get(guard.predicate)
            return None if fn is None else bool(fn(data))
        if guard.schema is None:
            return True
        return bool(self._validator(guard).is_valid(_document(data)))

    def reasons(self, guard: Guard, data: Mapping[str, Any]) -> list[str]:
        """Why `data` fails `guard` (empty when it passes). A predicate must be registered
        (`check_registered` runs when the engine is built)."""
        if guard.predicate is not None:
            if self.predicates[guard.predicate](data):
                return []
            return [guard.message or f"the condition {guard.predicate!r} is not met"]
        if guard.schema is None:
            return []
        validator = self._validator(guard)
        errors = sorted(validator.iter_errors(_document(data)), key=lambda e: list(e.absolute_path))
        if not errors:
            return []
        out = [guard.message] if guard.message else []
        out += [f"{e.json_path}: {e.message}" for e in errors]
        return out


def _document(data: Mapping[str, Any]) -> dict[str, Any]:
    """jsonschema's "object" type means dict; a dossier's data is a read-only mapping view."""
    return data if isinstance(data, dict) else dict(data)
