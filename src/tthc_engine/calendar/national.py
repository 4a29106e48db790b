"""The national holidays of Viet Nam, taken from the `holidays` package (never re-derived by hand).

The package computes lunar Tết and Giỗ Tổ Hùng Vương on the Vietnamese (UTC+7) lunar calendar, the
compensatory days of Labor Code 2019 Art. 111(3), and carries the government's yearly swaps (a weekday
off, a Saturday worked) as static data with the make-up Saturdays in `.weekend_workdays`. What it lacks
or gets wrong is corrected by the national overlay calendars/vietnam.yaml (docs/calendar.md lists each).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import holidays

from tthc_engine.calendar.model import DayRule

HOLIDAYS_VERSION: str = str(getattr(holidays, "__version__", "unknown"))
_SOURCE = f"holidays {HOLIDAYS_VERSION} (VN)"
# Labor Code 2019 (Law 45/2019/QH14) Art. 112(1): the statutory public holidays.
_STATUTORY = "Bộ luật Lao động 2019 Điều 112"
_COMPENSATORY = "Bộ luật Lao động 2019 Điều 111(3)"
_CULTURE_DAY = "Nghị quyết 28/2026/QH16 (Ngày Văn hóa Việt Nam; chưa đối chiếu văn bản gốc)"
_SWAP = "thông báo hoán đổi ngày làm việc của Chính phủ"


def national_rules(years: Iterable[int]) -> list[DayRule]:
    """Day rules for `years` from the holidays package, in date order."""
    ys = sorted(set(years))
    if not ys:
        return []
    vi = holidays.country_holidays("VN", years=ys, language="vi")
    en = holidays.country_holidays("VN", years=ys, language="en_US")
    rules: list[DayRule] = []
    for day in sorted(vi):
        name_vi = str(vi[day])
        name_en = str(en.get(day, name_vi))
        if "Cultural Day" in name_en:
            # Not in Labor Code Art. 112: reported as a paid day off from 2026 (press reports; UNCONFIRMED)
            kind, notice = "holiday", f"{_CULTURE_DAY}; {_SOURCE}"
        elif "(observed" in name_en:
            kind, notice = "compensatory", f"{_COMPENSATORY}; {_SOURCE}"
        elif "substituted" in name_en.lower():
            kind, notice = "swap_off", f"{_SWAP}; {_SOURCE}"
        else:
            kind, notice = "holiday", f"{_STATUTORY}; {_SOURCE}"
        rules.append(DayRule(kind, day, day, False, name_vi, notice, name_en=name_en, where=_SOURCE))  # type: ignore[arg-type]
    first, last = dt.date(ys[0], 1, 1), dt.date(ys[-1], 12, 31)
    for day in sorted(getattr(vi, "weekend_workdays", ())):
        if first <= day <= last and day.year in ys:
            rules.append(
                DayRule(
                    "makeup",
                    day,
                    day,
                    True,
                    "Ngày làm bù (hoán đổi)",
                    f"{_SWAP}; {_SOURCE}",
                    name_en="make-up working day (swap)",
                    where=_SOURCE,
                )
            )
    rules.sort(key=lambda r: r.start)
    return rules
