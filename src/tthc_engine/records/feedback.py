"""What the host tells the engine about a dossier that the engine cannot know: `Feedback`.

The evaluation of each dossier (Circular 01/2018/TT-VPCP Art. 13–14) and the service-quality
indicators of Decision 766/QĐ-TTg need facts that no act of the procedure records: the citizen's
rating ("Dân chấm điểm", through a paper form, a kiosk or online: Art. 14(3)(a)), whether a
complaint about an officer's conduct was upheld (index 7), whether a repeated supplement was the
applicant's own fault (index 3's exception), how many agencies the applicant had to contact
(index 4), and whether the result was returned electronically, the fee paid online and the dossier
digitised (Decision 766). The host records them with `Engine.record_feedback`: each fact given is
kept in the record with who gave it and when, and written into an audit entry of kind
"feedback" like every other change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from tthc_engine.errors import DataError

# the facts, with what each feeds (docs/reports.md, "Evaluation")
FEEDBACK_FACTS: Mapping[str, str] = {
    "rating": "the citizen's score, 0–2 like the indices of Circular 01/2018/TT-VPCP Art. 13",
    "complaint_upheld": "index 7: a complaint about the officers' conduct was upheld (True) or none (False)",
    "applicant_fault": "index 3: the repeated supplements were the applicant's own fault",
    "agencies_contacted": "index 4: the agencies the applicant had to contact to complete the dossier",
    "electronic_result": "Decision 766: the result was returned electronically",
    "paid_online": "Decision 766: the fee was paid online",
    "digitised": "Decision 766: the dossier and its result were digitised",
}


@attrs.frozen
class Feedback:
    """The facts one call records; None = not said (a fact said before stays)."""

    rating: int | None = None
    complaint_upheld: bool | None = None
    applicant_fault: bool | None = None
    agencies_contacted: int | None = None
    electronic_result: bool | None = None
    paid_online: bool | None = None
    digitised: bool | None = None

    def __attrs_post_init__(self) -> None:
        if self.rating is not None and (isinstance(self.rating, bool) or self.rating not in (0, 1, 2)):
            raise DataError(
                f"Feedback(rating={self.rating!r}): a rating is 0, 1 or 2 points (Circular 01/2018/TT-VPCP "
                "Art. 13: 2 good, 1 acceptable, 0 not); map the host's scale onto them"
            )
        count = self.agencies_contacted
        if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 0):
            raise DataError(f"Feedback(agencies_contacted={count!r}): give a count, 0 or more")
        for name in ("complaint_upheld", "applicant_fault", "electronic_result", "paid_online", "digitised"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, bool):
                raise DataError(f"Feedback({name}={value!r}): give True or False")

    def given(self) -> dict[str, Any]:
        """The facts this call says (name -> value), in FEEDBACK_FACTS order."""
        return {name: getattr(self, name) for name in FEEDBACK_FACTS if getattr(self, name) is not None}


def fact(record: Mapping[str, Any], name: str) -> Any:
    """The value of fact `name` in a record's `feedback` mapping (None when never given)."""
    held = record.get(name)
    return None if held is None else held["value"]
