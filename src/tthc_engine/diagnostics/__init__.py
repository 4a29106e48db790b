"""HOW input files are read and their problems reported: the lowest layer above errors.py.

Procedures (definition/) and calendar overlays (calendar/) are read by one strict YAML reader and
their problems are collected by one collector, with one registry of codes and one renderer of JSON
paths, so a mistake gets the same protection, position and wording whichever file it is in. This
package imports only tthc_engine.errors, the standard library and PyYAML (tests/test_layering.py).

    paths.py         JSON paths as tuples, their one rendering (`$.actions[8]`), the source map
    codes.py         every diagnostic code (TTxxx procedures, TCxxx calendar overlays): severity, title
    collector.py     report(path, code, message, hint): position from the map, severity from codes
    yaml_reader.py   read_yaml(raw, path, kind=...): bytes → Document (data, source map, problems)
    yaml_builder.py  the reader's event → value builder, and FileKind (which code for which failure)
    yaml_hints.py    where to fix a YAML syntax error or a duplicate key (indentation, tabs)
"""

from tthc_engine.diagnostics.codes import CODES, Code, lookup, severity
from tthc_engine.diagnostics.collector import Collector
from tthc_engine.diagnostics.paths import JsonPath, Position, SourceMap, json_path
from tthc_engine.diagnostics.yaml_builder import FileKind
from tthc_engine.diagnostics.yaml_reader import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_DEPTH,
    DEFAULT_MAX_NODES,
    OVERLAY_FILE,
    PROCEDURE_FILE,
    Document,
    read_bounded,
    read_yaml,
)

__all__ = [
    "CODES",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_DEPTH",
    "DEFAULT_MAX_NODES",
    "OVERLAY_FILE",
    "PROCEDURE_FILE",
    "Code",
    "Collector",
    "Document",
    "FileKind",
    "JsonPath",
    "Position",
    "SourceMap",
    "json_path",
    "lookup",
    "read_bounded",
    "read_yaml",
    "severity",
]
