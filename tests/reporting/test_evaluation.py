"""The evaluation of each dossier (Circular 01/2018/TT-VPCP Art. 13–15) and the host's feedback."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import tthc_engine as te
from tthc_engine.errors import DataError, TransitionError
from tthc_engine.reporting.evaluation import Score, summarise

VN = dt.timezone(dt.timedelta(hours=7))
DESK = te.Actor("tn-01", {"reception"}, agency="000.21.21.H47")
OFFICER = te.Actor("cv-02", {"specialist"})
LEADER = te.Actor("ld-03", {"leader"})
DATA = {"household_name": "Hộ A", "business_lines": ["4711"]}


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2021, 3, day, hour, tzinfo=VN)


def _life(engine: te.Engine, *, supplements: int = 0, approve_day: int = 2) -> te.Dossier:
    """A household registration received on Monday 1 March 2021 (due Thursday 4 March, 17:00)."""
    d = engine.submit("1.001612", actor=DESK, at=at(1, 8), data=DATA)
    d = engine.act(d.id, "accept", actor=DESK, at=at(1, 8))
    for i in range(supplements):
        d = engine.act(d.id, "request_supplement", actor=OFFICER, at=at(1, 10 + 2 * i), note="Thiếu giấy tờ")
        d = engine.act(d.id, "supplement", actor=DESK, at=at(1, 11 + 2 * i))
    d = engine.act(d.id, "assign", actor=DESK, at=at(1, 16))
    d = engine.act(d.id, "submit_for_signature", actor=OFFICER, at=at(approve_day, 8))
    return engine.act(d.id, "approve", actor=LEADER, at=at(approve_day, 10),
                      data={"household_registration_number": "H-1"})  # fmt: skip


@pytest.fixture
def engine(procedures_dir: Path, tmp_path: Path) -> te.Engine:
    return te.Engine(te.Catalog.load(procedures_dir), store=te.SQLiteStore(tmp_path / "e.db"))


def test_an_early_dossier_scores_full_marks(engine: te.Engine) -> None:
    d = _life(engine)
    e = engine.evaluate(d.id)
    assert (e.index1, e.index3, e.index4, e.index7, e.rating) == (2, 2, 2, None, None)
    assert e.officers == ("cv-02", "ld-03", "tn-01")
    assert e.index2 and all(s.points in (0, 1, 2) for s in e.index2)


def test_supplements_and_lateness_lower_the_scores(engine: te.Engine) -> None:
    once = engine.evaluate(_life(engine, supplements=1).id)
    assert (once.index3, once.index4) == (1, 1)
    twice = _life(engine, supplements=2, approve_day=9)
    e = engine.evaluate(twice.id)
    assert (e.index1, e.index3, e.index4) == (0, 0, 1)
    engine.record_feedback(twice.id, te.Feedback(applicant_fault=True), actor=DESK, at=at(10))
    assert engine.evaluate(twice.id).index3 == 1  # Art. 13(3)(c): unless the applicant was at fault


def test_feedback_is_kept_with_who_and_when_and_audited(engine: te.Engine) -> None:
    d = _life(engine)
    engine.record_feedback(d.id, te.Feedback(rating=2, electronic_result=True), actor=DESK, at=at(3))
    d = engine.record_feedback(d.id, te.Feedback(complaint_upheld=False), actor=LEADER, at=at(5))
    assert d.feedback["rating"] == {"value": 2, "by": "tn-01", "at": at(3).isoformat()}
    assert d.feedback["complaint_upheld"]["by"] == "ld-03"
    last = engine.history(d.id)[-1]
    assert (last.kind, last.actor, last.clock) == (
        "feedback", "ld-03", {"feedback.complaint_upheld": {"from": None, "to": False}},
    )  # fmt: skip
    engine.verify(d.id)  # the record's feedback is what its chain says
    e = engine.evaluate(d.id)
    assert (e.index7, e.rating) == (2, 2)
    engine.record_feedback(d.id, te.Feedback(complaint_upheld=True), actor=LEADER, at=at(6))
    assert engine.evaluate(d.id).index7 == 0


def test_bad_feedback_changes_nothing(engine: te.Engine) -> None:
    d = _life(engine)
    with pytest.raises(DataError, match="0, 1 or 2"):
        te.Feedback(rating=5)
    with pytest.raises(DataError, match="True or False"):
        te.Feedback(paid_online="yes")  # type: ignore[arg-type]
    with pytest.raises(DataError, match="at least one fact"):
        engine.record_feedback(d.id, te.Feedback(), actor=DESK, at=at(3))
    lodged = engine.submit("1.001612", actor=DESK, at=at(3), data=DATA)
    with pytest.raises(TransitionError, match="never received"):
        engine.record_feedback(lodged.id, te.Feedback(rating=1), actor=DESK, at=at(3))
    assert engine.get(d.id).version == d.version and engine.get(d.id).feedback == {}


def test_summaries_per_agency_and_officer(engine: te.Engine) -> None:
    early, late = _life(engine), _life(engine, supplements=2, approve_day=9)
    engine.record_feedback(early.id, te.Feedback(rating=2, complaint_upheld=False), actor=DESK, at=at(3))
    rows = {r.key: r for r in engine.evaluations("2021-03-01", "2021-04-01", by="agency")}
    desk = rows["000.21.21.H47"]
    assert desk.dossiers == 2
    assert desk.scores["index1"] == Score(2, 2) and desk.scores["index1"].value == 1.0
    assert desk.scores["index7"] == Score(2, 1) and desk.scores["rating"].value == 2.0
    officers = {r.key: r for r in engine.evaluations("2021-03-01", "2021-04-01", by="officer")}
    assert set(officers) >= {"tn-01", "cv-02", "ld-03"}
    assert officers["tn-01"].dossiers == 2
    assert officers["tn-01"].classification.startswith("hoàn thành")
    assert engine.evaluations("2021-04-01", "2021-05-01") == ()
    assert late.id != early.id


def test_scores_round_to_one_decimal_and_classify() -> None:
    assert Score(5, 3).value == 1.7 and Score(0, 0).value is None
    assert summarise([], "officer") == ()
    with pytest.raises(te.ConfigurationError):
        summarise([], "ward")  # type: ignore[arg-type]
