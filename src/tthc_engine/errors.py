"""One exception tree for the whole library.

    TthcError                        (base: catch this to catch everything of ours)
    ├── ProcedureError  (ValueError) a procedure or catalog is invalid; carries every Problem
    ├── CalendarError   (ValueError) a calendar overlay is invalid or a date is outside the range
    ├── NaiveDatetimeError (TypeError) a datetime without a time zone was given
    ├── ConfigurationError (ValueError) the engine or a store was set up wrongly
    ├── ClockError      (ValueError) a deadline clock was driven wrongly (resumed twice, rescheduled twice)
    ├── RecordFieldError (TypeError) a dossier record was changed with a field it does not have
    ├── RuntimeErrorBase                 problems of a running dossier (carry dossier, state, action)
    │   ├── UnknownDossier  (LookupError)
    │   ├── UnknownProcedure (LookupError)
    │   ├── TransitionError               the action does not exist from the current state
    │   ├── PermissionDenied              the actor holds no role allowed for the action
    │   ├── GuardFailed                   the dossier data does not satisfy the guard
    │   ├── MissingData                   required data or note absent
    │   ├── DataError       (ValueError)  data not JSON-compatible / `at` unreadable
    │   ├── TimeOrderError                `at` is earlier than the dossier's last act
    │   └── ConcurrencyError              stale expected_version / lost a race
    ├── AuditIntegrityError              a hash chain does not verify
    └── StoreError                       the store failed or has an incompatible schema

Definition errors are *returned* as `Problem` diagnostics by validation and *raised* as one
`ProcedureError` carrying all of them, so a CI run shows every problem at once (docs/diagnostics.md).
Errors subclass the builtin a caller would naturally catch (attrs does the same).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import attrs

Severity = Literal["error", "warning"]


@attrs.frozen
class Problem:
    """One diagnostic about a procedure, catalog or calendar overlay file, positioned for editors and CI.

    `line` and `column` are 1-based; 0 means "the file as a whole". `code` is stable (TTxxx for
    procedures, TCxxx for calendar overlays) and documented in docs/diagnostics.md so authors can
    search for it. `json_path` is the place in the data as text (`$.actions[8]`); `where` is the same
    place as data (`("actions", 8)`) for programs — it is not part of `as_dict()` or equality.
    """

    path: str
    line: int
    column: int
    code: str
    message: str
    severity: Severity = "error"
    json_path: str = "$"
    hint: str | None = None
    where: tuple[str | int, ...] = attrs.field(default=(), eq=False, repr=False)

    def format(self) -> str:
        """`path:line:col: CODE message (hint)` — the format compilers and ruff use."""
        text = f"{self.path}:{self.line}:{self.column}: {self.code} {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text

    def as_dict(self) -> dict[str, object]:
        """The fields tools print (`tthc validate --format json`): everything but `where`."""
        return attrs.asdict(self, filter=lambda a, _value: a.name != "where")


class TthcError(Exception):
    """Base of every error this library raises on purpose."""


class ProblemsError(TthcError, ValueError):
    """An error about input files that carries every positioned Problem found, not just the first."""

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        lines = [f"{self.message} ({len(self.problems)} problem(s)):"]
        lines += ["  " + p.format() for p in self.problems]
        return "\n".join(lines)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")


class ProcedureError(ProblemsError):
    """A procedure file or a catalog is invalid. `problems` lists every problem found."""


class CalendarError(ProblemsError):
    """A calendar overlay is invalid, or a date lies outside the calendar's range."""


class NaiveDatetimeError(TthcError, TypeError):
    """A datetime without a time zone: we never guess the zone of a legal moment."""


class ConfigurationError(TthcError, ValueError):
    """The engine, a calendar or a store was configured wrongly (names the option and the fix)."""


class ClockError(TthcError, ValueError):
    """A deadline clock was driven wrongly: paused twice, resumed while running, rescheduled twice."""


class RecordFieldError(TthcError, TypeError):
    """`Dossier.replace` was given a field the record does not have (a misspelt name would be lost on
    save); the message names the field, the closest valid one and every valid one."""


class RuntimeErrorBase(TthcError):
    """A running dossier refused an operation. Carries where it happened."""

    def __init__(
        self,
        message: str,
        *,
        dossier_id: str | None = None,
        state: str | None = None,
        action: str | None = None,
        actor: str | None = None,
        reasons: Sequence[str] = (),
    ) -> None:
        self.message = message
        self.dossier_id = dossier_id
        self.state = state
        self.action = action
        self.actor = actor
        self.reasons: tuple[str, ...] = tuple(reasons)
        super().__init__(message)

    def __str__(self) -> str:
        where = ", ".join(
            f"{k}={v!r}"
            for k, v in (
                ("dossier", self.dossier_id),
                ("state", self.state),
                ("action", self.action),
                ("actor", self.actor),
            )
            if v is not None
        )
        text = self.message + (f" [{where}]" if where else "")
        if self.reasons:
            text += "".join(f"\n  - {r}" for r in self.reasons)
        return text


class UnknownDossier(RuntimeErrorBase, LookupError):
    """No dossier with this id in the store."""


class UnknownProcedure(RuntimeErrorBase, LookupError):
    """No procedure with this code (or none in force at the given date) in the catalog."""


class TransitionError(RuntimeErrorBase):
    """The action is not declared from the dossier's current state."""


class PermissionDenied(RuntimeErrorBase):
    """The actor holds none of the roles the action allows."""


class GuardFailed(RuntimeErrorBase):
    """The dossier data does not satisfy the action's guard; `reasons` says why."""


class MissingData(RuntimeErrorBase):
    """Data fields or a note the action requires were not given."""


class DataError(RuntimeErrorBase, ValueError):
    """Dossier data or an `at` value is malformed: not JSON-compatible, or not a readable moment."""


class TimeOrderError(RuntimeErrorBase):
    """`at` is earlier than the dossier's last act (submit, action or timer): acts never run backwards.

    Sweep observations (warning, overdue) do not count, so an act recorded after them may be dated
    before them (docs/embedding.md, "Back-dated acts and sweeps")."""


class ConcurrencyError(RuntimeErrorBase):
    """Another writer changed the dossier first (stale expected_version or a lost race)."""


class NumberingError(RuntimeErrorBase):
    """The numbering cannot give this receipt a number (e.g. a 10,000th dossier of one agency in one
    day under the national 4-digit sequence); nothing is written and no number is consumed."""


class EditedProcedureError(RuntimeErrorBase):
    """The procedure version a dossier was received under has been edited in place since (its content
    fingerprint differs): acting on it could silently change the rules it is handled under."""


class EditedProcedureWarning(UserWarning):
    """As EditedProcedureError, when the host accepts edited versions (EnginePolicy.edited_versions)."""


class AuditIntegrityError(TthcError):
    """A dossier's audit chain does not verify; names the first bad entry."""

    def __init__(self, message: str, *, dossier_id: str, sequence: int | None = None) -> None:
        self.dossier_id = dossier_id
        self.sequence = sequence
        self.message = message
        super().__init__(message)


class StoreError(TthcError):
    """The store failed, or its schema version is not one this library can migrate."""


__all__ = [
    "AuditIntegrityError",
    "CalendarError",
    "ClockError",
    "ConcurrencyError",
    "ConfigurationError",
    "DataError",
    "EditedProcedureError",
    "EditedProcedureWarning",
    "GuardFailed",
    "MissingData",
    "NaiveDatetimeError",
    "NumberingError",
    "PermissionDenied",
    "Problem",
    "ProcedureError",
    "RecordFieldError",
    "RuntimeErrorBase",
    "Severity",
    "StoreError",
    "TimeOrderError",
    "TransitionError",
    "TthcError",
    "UnknownDossier",
    "UnknownProcedure",
]
