"""Request: one act as the caller (or the sweep) asks for it — the typed currency of the act path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from tthc_engine.audit.entry import EntryKind
from tthc_engine.runtime.actor import Actor


@attrs.frozen(slots=True)
class Request:
    """`action` by `actor` at `at` (already checked aware), with an optional note and data.

    `kind` is "act" for a person's act (roles are checked) and "timer" for the sweep firing a
    procedure timer as the system."""

    action: str
    actor: Actor
    at: dt.datetime
    note: str | None = None
    data: Mapping[str, Any] | None = None
    kind: EntryKind = "act"
