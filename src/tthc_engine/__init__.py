"""tthc-engine: Vietnamese administrative procedures as declared state machines with legal deadlines.

The public API is `__all__`; users import from the package root only. Each section below is owned
by one subpackage (see docs/architecture.md).
"""

from tthc_engine._version import __version__

# --- definition ---
from tthc_engine.definition import (
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

# --- errors ---
from tthc_engine.errors import (
    AuditIntegrityError,
    CalendarError,
    ConcurrencyError,
    ConfigurationError,
    GuardFailed,
    MissingData,
    NaiveDatetimeError,
    PermissionDenied,
    Problem,
    ProcedureError,
    StoreError,
    TimeOrderError,
    TransitionError,
    TthcError,
    UnknownDossier,
    UnknownProcedure,
)

# --- calendar ---

# --- sla ---

# --- runtime ---

# --- audit ---

# --- stores ---

# --- reporting ---

__all__ = [
    "Action",
    "AuditIntegrityError",
    "CalendarError",
    "Catalog",
    "ConcurrencyError",
    "ConfigurationError",
    "Deadline",
    "Duration",
    "Guard",
    "GuardFailed",
    "MissingData",
    "NaiveDatetimeError",
    "PermissionDenied",
    "Problem",
    "Procedure",
    "ProcedureError",
    "State",
    "StoreError",
    "TimeOrderError",
    "TransitionError",
    "TthcError",
    "UnknownDossier",
    "UnknownProcedure",
    "ValidationReport",
    "__version__",
    "load_procedure",
    "parse_procedure",
    "validate_paths",
]
