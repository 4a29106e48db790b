"""Verification codes: a short code printed on a form that ties the paper to the audit entry issuing it.

code = the first 10 characters of base32(SHA-256("tthc-form/1" | form | dossier id | entry hash)),
shown as XXXXX-XXXXX (50 bits). The entry hash already covers the whole chain before it (audit/entry.py),
so a code names exactly one entry of one dossier and one form. Unkeyed by default: anyone holding the
record can recompute it (what an auditor wants); a host that wants codes nobody can mint without
its secret passes `key`, and the code becomes an HMAC-SHA-256 instead. It is a lookup and integrity
aid, not a signature: Circular 01/2018/TT-VPCP Art. 10(1) asks for digital signatures on the forms,
which remain the host's job.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from tthc_engine.audit.chain import verify_chain
from tthc_engine.audit.entry import AuditEntry
from tthc_engine.definition.model import Procedure
from tthc_engine.errors import AuditIntegrityError, TthcError
from tthc_engine.records import Dossier
from tthc_engine.reporting.forms.model import FORM_KINDS, issuing_entry

CODE_FORMAT = "tthc-form/1"
_LENGTH = 10


def verification_code(dossier_id: str, form: str, entry_hash: str, key: bytes | None = None) -> str:
    """The code printed on `form` of dossier `dossier_id` issued by the entry with `entry_hash`."""
    message = "|".join((CODE_FORMAT, form, dossier_id, entry_hash)).encode()
    digest = hmac.new(key, message, hashlib.sha256).digest() if key else hashlib.sha256(message).digest()
    raw = base64.b32encode(digest).decode()[:_LENGTH]
    return f"{raw[:5]}-{raw[5:]}"


def normalise(code: str) -> str:
    """What a person typed back: case, spaces and dashes ignored; 0/1/8 read as O/I/B (base32 has none)."""
    raw = "".join(c for c in code.upper() if c.isalnum()).translate(str.maketrans("018", "OIB"))
    return f"{raw[:5]}-{raw[5:]}"


@attrs.frozen
class CodeMatch:
    """Where a verification code leads: the dossier, the form and the entry that issued it, and
    whether that dossier's chain verifies now (`intact`) and the entry is still its newest (`latest`,
    which matters for form 05, a slip that grows with every hand-over)."""

    dossier_id: str
    number: str | None
    form: str
    sequence: int
    at: str
    intact: bool
    latest: bool
    problem: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


def find_form_code(
    code: str,
    records: Iterable[tuple[Dossier, Sequence[AuditEntry], Procedure]],
    key: bytes | None = None,
) -> CodeMatch | None:
    """The entry among `records` whose form has verification code `code` (None: no such form)."""
    wanted = normalise(code)
    for dossier, entries, proc in records:
        for form in FORM_KINDS:
            if form == "06":
                continue
            for entry in entries:
                if verification_code(dossier.id, form, entry.hash, key) != wanted:
                    continue
                try:  # the code is of a form this entry really issued
                    issuing_entry(dossier, entries, proc, form, entry.sequence)
                except TthcError:
                    continue
                problem = None
                try:
                    verify_chain(dossier.id, entries, head_hash=dossier.audit_head, count=dossier.audit_count)
                except AuditIntegrityError as exc:
                    problem = str(exc)
                return CodeMatch(
                    dossier.id, dossier.number, form, entry.sequence, entry.at.isoformat(),
                    intact=problem is None, latest=entry.sequence == entries[-1].sequence, problem=problem,
                )  # fmt: skip
    return None
