"""The content fingerprint of a procedure version: what a dossier is pinned to besides code and version.

A procedure version is immutable in law: a correction is a new version (docs/authoring.md). A file
edited in place would silently change what in-flight dossiers are handled under, so every dossier
records the fingerprint of the version it was received under, and the engine compares it when the
dossier is next loaded or acted on (EnginePolicy.edited_versions). The fingerprint hashes the
version's meaning — the parsed definition — not its bytes: a comment, a reordered key or a
reformatted file leaves it unchanged; a changed state, action, deadline, label or fee does not.
Fields at their default value are left out, so a library release that adds an optional field keeps
the fingerprints of the versions that do not use it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from typing import Any

import attrs

from tthc_engine.definition.model import Procedure

_IGNORED = ("source",)  # where the version was loaded from is not what it says


def _plain(value: Any) -> Any:
    if attrs.has(type(value)):
        return {f.name: _plain(getattr(value, f.name)) for f in attrs.fields(type(value))
                if f.name not in _IGNORED and not _default(f, getattr(value, f.name))}  # fmt: skip
    if isinstance(value, dt.date | dt.time | dt.datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        items = [_plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, frozenset | set) else items
    return value


def _default(field: attrs.Attribute[Any], value: Any) -> bool:
    """Whether `value` is the field's default: left out, so that a library release adding an optional
    field (with its default) does not change the fingerprint of every version that does not use it."""
    default: Any = field.default
    if default is attrs.NOTHING:
        return False
    factory = getattr(default, "factory", None)
    if factory is not None and getattr(default, "takes_self", None) is False:  # an attrs.Factory
        default = factory()
    return bool(value == default)


def procedure_content(procedure: Procedure) -> dict[str, Any]:
    """The version's definition as plain JSON-ready data (what the fingerprint hashes): every field
    that is not at its default, recursively; where it was loaded from is left out."""
    plain: dict[str, Any] = _plain(procedure)
    return plain


def procedure_fingerprint(procedure: Procedure) -> str:
    """`proc-` and 16 hex digits of the SHA-256 of the canonical JSON of `procedure_content`."""
    text = json.dumps(procedure_content(procedure), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "proc-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def content_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """The top-level parts of a definition that differ (`states`, `deadline`, …), for messages."""
    return sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
