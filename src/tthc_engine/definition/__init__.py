"""WHAT a procedure is: definitions, YAML loading, schema validation, lint, catalog."""

from tthc_engine.definition.catalog import Catalog, ValidationReport, catalog_problems, validate_paths
from tthc_engine.definition.lint import lint_procedure
from tthc_engine.definition.loader import (
    FileResult,
    check_file,
    check_source,
    load_procedure,
    parse_procedure,
)
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
    "Catalog",
    "Deadline",
    "DocumentComponent",
    "Duration",
    "Extension",
    "Fee",
    "FileResult",
    "Form",
    "Guard",
    "LegalReference",
    "Procedure",
    "Role",
    "State",
    "Text",
    "Timer",
    "ValidationReport",
    "catalog_problems",
    "check_file",
    "check_source",
    "lint_procedure",
    "load_procedure",
    "parse_procedure",
    "validate_paths",
]
