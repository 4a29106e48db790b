"""tthc-engine: Vietnamese administrative procedures as declared state machines with legal deadlines.

The public API is `__all__`; users import from the package root only. Names are loaded on first
use (PEP 562 `__getattr__`), so `tthc --version`, `tthc --help` and a host that needs only the
calendar do not import the whole engine; `_EXPORTS` says which subpackage owns each name (see
docs/architecture.md), and type checkers read the same imports below.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from tthc_engine._version import __version__

if TYPE_CHECKING:
    from tthc_engine.audit import AuditEntry, canonical_json, verify_chain
    from tthc_engine.calendar import DayInfo, OfficeHours, Provenance, WorkCalendar, load_overlay
    from tthc_engine.definition import (
        PUBLIC_STATUSES,
        Action,
        Catalog,
        Deadline,
        Duration,
        Guard,
        Procedure,
        State,
        ValidationReport,
        load_procedure,
        parse_procedure,
        validate_paths,
    )
    from tthc_engine.errors import (
        AuditIntegrityError,
        CalendarError,
        ClockError,
        ConcurrencyError,
        ConfigurationError,
        DataError,
        GuardFailed,
        MissingData,
        NaiveDatetimeError,
        PermissionDenied,
        Problem,
        ProcedureError,
        RecordFieldError,
        StoreError,
        TimeOrderError,
        TransitionError,
        TthcError,
        UnknownDossier,
        UnknownProcedure,
    )
    from tthc_engine.records import Feedback
    from tthc_engine.reporting.forms import (
        CodeMatch,
        find_form_code,
        render_form,
        tracking_book,
        verification_code,
    )
    from tthc_engine.reporting.report import Counts, Processing, Report, ReportRow
    from tthc_engine.runtime import (
        Actor,
        Dossier,
        Engine,
        EnginePolicy,
        Event,
        InputLimits,
        NationalNumbering,
        Numbering,
        RelayReport,
        Step,
        SweepReport,
        WorkItem,
        Worklist,
    )
    from tthc_engine.sla import Clock, DueResult, StartPolicy, classify, compute_due, due_after, progress
    from tthc_engine.stores import Cursor, Filter, Incident, MemoryStore, Page, SQLiteStore, Store, WorkScope
    from tthc_engine.stores.outbox import OutboxEvent
    from tthc_engine.stores.postgres import PostgresStore as PostgresStore  # not in __all__: an extra
    from tthc_engine.stores.tally import Period

# name -> the module it is loaded from. PostgresStore is not in __all__: it needs the postgres extra
# (psycopg), and `from tthc_engine import *` must work without it; `te.PostgresStore` without the
# extra raises the ImportError that names it.
_EXPORTS: dict[str, str] = {
    "PostgresStore": "tthc_engine.stores.postgres",
    "Action": "tthc_engine.definition",
    "Actor": "tthc_engine.runtime",
    "AuditEntry": "tthc_engine.audit",
    "AuditIntegrityError": "tthc_engine.errors",
    "CalendarError": "tthc_engine.errors",
    "Catalog": "tthc_engine.definition",
    "Clock": "tthc_engine.sla",
    "ClockError": "tthc_engine.errors",
    "CodeMatch": "tthc_engine.reporting.forms",
    "ConcurrencyError": "tthc_engine.errors",
    "ConfigurationError": "tthc_engine.errors",
    "Counts": "tthc_engine.reporting.report",
    "Cursor": "tthc_engine.stores",
    "DataError": "tthc_engine.errors",
    "DayInfo": "tthc_engine.calendar",
    "Deadline": "tthc_engine.definition",
    "Dossier": "tthc_engine.runtime",
    "DueResult": "tthc_engine.sla",
    "Duration": "tthc_engine.definition",
    "Engine": "tthc_engine.runtime",
    "EnginePolicy": "tthc_engine.runtime",
    "Event": "tthc_engine.runtime",
    "Feedback": "tthc_engine.records",
    "Filter": "tthc_engine.stores",
    "Guard": "tthc_engine.definition",
    "GuardFailed": "tthc_engine.errors",
    "Incident": "tthc_engine.stores",
    "InputLimits": "tthc_engine.runtime",
    "MemoryStore": "tthc_engine.stores",
    "MissingData": "tthc_engine.errors",
    "NaiveDatetimeError": "tthc_engine.errors",
    "NationalNumbering": "tthc_engine.runtime",
    "Numbering": "tthc_engine.runtime",
    "OfficeHours": "tthc_engine.calendar",
    "OutboxEvent": "tthc_engine.stores.outbox",
    "PUBLIC_STATUSES": "tthc_engine.definition",
    "Page": "tthc_engine.stores",
    "Period": "tthc_engine.stores.tally",
    "PermissionDenied": "tthc_engine.errors",
    "Problem": "tthc_engine.errors",
    "Procedure": "tthc_engine.definition",
    "ProcedureError": "tthc_engine.errors",
    "Processing": "tthc_engine.reporting.report",
    "Provenance": "tthc_engine.calendar",
    "RecordFieldError": "tthc_engine.errors",
    "RelayReport": "tthc_engine.runtime",
    "Report": "tthc_engine.reporting.report",
    "ReportRow": "tthc_engine.reporting.report",
    "SQLiteStore": "tthc_engine.stores",
    "StartPolicy": "tthc_engine.sla",
    "State": "tthc_engine.definition",
    "Step": "tthc_engine.runtime",
    "Store": "tthc_engine.stores",
    "StoreError": "tthc_engine.errors",
    "SweepReport": "tthc_engine.runtime",
    "TimeOrderError": "tthc_engine.errors",
    "TransitionError": "tthc_engine.errors",
    "TthcError": "tthc_engine.errors",
    "UnknownDossier": "tthc_engine.errors",
    "UnknownProcedure": "tthc_engine.errors",
    "ValidationReport": "tthc_engine.definition",
    "WorkCalendar": "tthc_engine.calendar",
    "WorkItem": "tthc_engine.runtime",
    "WorkScope": "tthc_engine.stores",
    "Worklist": "tthc_engine.runtime",
    "canonical_json": "tthc_engine.audit",
    "classify": "tthc_engine.sla",
    "compute_due": "tthc_engine.sla",
    "due_after": "tthc_engine.sla",
    "find_form_code": "tthc_engine.reporting.forms",
    "load_overlay": "tthc_engine.calendar",
    "load_procedure": "tthc_engine.definition",
    "parse_procedure": "tthc_engine.definition",
    "progress": "tthc_engine.sla",
    "render_form": "tthc_engine.reporting.forms",
    "tracking_book": "tthc_engine.reporting.forms",
    "validate_paths": "tthc_engine.definition",
    "verification_code": "tthc_engine.reporting.forms",
    "verify_chain": "tthc_engine.audit",
}

__all__ = [
    "PUBLIC_STATUSES",
    "Action",
    "Actor",
    "AuditEntry",
    "AuditIntegrityError",
    "CalendarError",
    "Catalog",
    "Clock",
    "ClockError",
    "CodeMatch",
    "ConcurrencyError",
    "ConfigurationError",
    "Counts",
    "Cursor",
    "DataError",
    "DayInfo",
    "Deadline",
    "Dossier",
    "DueResult",
    "Duration",
    "Engine",
    "EnginePolicy",
    "Event",
    "Feedback",
    "Filter",
    "Guard",
    "GuardFailed",
    "Incident",
    "InputLimits",
    "MemoryStore",
    "MissingData",
    "NaiveDatetimeError",
    "NationalNumbering",
    "Numbering",
    "OfficeHours",
    "OutboxEvent",
    "Page",
    "Period",
    "PermissionDenied",
    "Problem",
    "Procedure",
    "ProcedureError",
    "Processing",
    "Provenance",
    "RecordFieldError",
    "RelayReport",
    "Report",
    "ReportRow",
    "SQLiteStore",
    "StartPolicy",
    "State",
    "Step",
    "Store",
    "StoreError",
    "SweepReport",
    "TimeOrderError",
    "TransitionError",
    "TthcError",
    "UnknownDossier",
    "UnknownProcedure",
    "ValidationReport",
    "WorkCalendar",
    "WorkItem",
    "WorkScope",
    "Worklist",
    "__version__",
    "canonical_json",
    "classify",
    "compute_due",
    "due_after",
    "find_form_code",
    "load_overlay",
    "load_procedure",
    "parse_procedure",
    "progress",
    "render_form",
    "tracking_book",
    "validate_paths",
    "verification_code",
    "verify_chain",
]


def __getattr__(name: str) -> Any:
    """Load a public name on first use and keep it (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'tthc_engine' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
