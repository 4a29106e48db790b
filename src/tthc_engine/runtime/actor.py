"""Actor: who acts on a dossier — an id the host app understands and the roles held now.

The engine checks an act's roles against the procedure and writes the actor's id and sorted roles
into the audit entry; the record keeps only ids (records/dossier.py).
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from tthc_engine.definition.model import SYSTEM_ROLE


def _roles(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str):  # Actor("x", roles="reception") would otherwise give r,e,c,…
        return frozenset((value,))
    return frozenset(value)


@attrs.frozen(slots=True)
class Actor:
    """Who acts: an id the host app understands and the procedure roles they hold now.

    `agency`: the code of the agency whose desk this actor works at — the receiving agency of the
    dossiers they receive (a public administration centre may receive for many communes, Decree
    118/2025/ND-CP); None leaves it to the call or the numbering's default."""

    id: str
    roles: frozenset[str] = attrs.field(default=frozenset(), converter=_roles)
    name: str | None = None
    agency: str | None = None

    @property
    def sorted_roles(self) -> tuple[str, ...]:
        """The roles as the audit entry records them (sorted, so the hash does not depend on set order)."""
        return tuple(sorted(self.roles))


SYSTEM = Actor("system", frozenset({SYSTEM_ROLE}), "Hệ thống (system)")
"""The actor of the sweep: timers fire their action as SYSTEM (definition/model.py SYSTEM_ROLE)."""
