"""WHAT a procedure is: definitions, YAML loading, schema validation, lint, catalog."""

from tthc_engine.definition.model import (
    Action,
    Agency,
    Deadline,
    DocumentComponent,
    Duration,
    Extension,
    Fee,
    Form,
    Guard,
    LegalReference,
    Procedure,
    Role,
    State,
    Text,
    Timer,
)

__all__ = [
    "Action",
    "Agency",
    "Deadline",
    "DocumentComponent",
    "Duration",
    "Extension",
    "Fee",
    "Form",
    "Guard",
    "LegalReference",
    "Procedure",
    "Role",
    "State",
    "Text",
    "Timer",
]
