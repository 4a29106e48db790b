"""The forms' rules: the template set of the issue day, errors naming the fix, verification codes,
the same bytes twice (also after a reload from SQLite), host overrides, the QR code with and without
segno, and the tracking book's numbering through the year."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import sys
from pathlib import Path

import pytest
from forms_helpers import APPLICANT, NOTE, TZ

import tthc_engine as te
from tthc_engine.reporting.forms import FORMATS

DESK = te.Actor("desk-1", {"reception"})
BOSS = te.Actor("chair-1", {"specialist", "leader"})
BIRTH = "1.001193"


@pytest.fixture(scope="module")
def catalog(procedures_dir: Path) -> te.Catalog:
    return te.Catalog.load(procedures_dir)


def vn(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


def received(engine: te.Engine, at: str, code: str = BIRTH, **data: object) -> te.Dossier:
    d = engine.submit(code, actor=DESK, at=vn(at), data={"applicant": APPLICANT, **data})
    return engine.act(d.id, "accept", actor=DESK, at=vn(at) + dt.timedelta(minutes=5))


def rescheduled(engine: te.Engine, d: te.Dossier, at: str) -> te.Dossier:
    d = engine.act(d.id, "assign", actor=DESK, at=vn(at))
    return engine.act(
        d.id, "reschedule", actor=BOSS, at=vn(at) + dt.timedelta(minutes=5), note="Chờ xác minh nơi sinh",
        data={"new_appointment": (vn(at) + dt.timedelta(days=3)).isoformat()},
    )  # fmt: skip


def test_the_set_is_the_one_in_force_on_the_issue_day(catalog: te.Catalog) -> None:
    """Circular 03/2025/TT-VPCP replaced the 2018 set on 01/07/2025: a dossier received on 30/06 gets
    the 2018 receipt, and its apology written on 01/07 the 2025 text; both reprint the same later."""
    engine = te.Engine(catalog)
    d = received(engine, "2025-06-30T10:00")
    d = rescheduled(engine, d, "2025-07-01T08:30")
    slip = json.loads(engine.form(d.id, "01", format="json"))
    assert slip["set"]["from"] == "2019-01-06" and slip["source"].startswith("Thông tư 01/2018/TT-VPCP")
    assert d.procedure_version == "2018.06"
    apology = json.loads(engine.form(d.id, "04", format="json"))
    assert apology["set"]["from"] == "2025-07-01" and "03/2025/TT-VPCP" in apology["source"]
    assert apology["title"] == "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"
    assert json.loads(engine.form(d.id, "05", format="json"))["number_in_set"] == "06"
    later = received(engine, "2025-07-01T10:00")
    assert later.procedure_version == "2025.07"
    assert "Mẫu số 01" in engine.form(later.id, "01", format="text")
    assert json.loads(engine.form(later.id, "01", format="json"))["set"]["from"] == "2025-07-01"


def test_receipt_slip_fields_come_from_the_record(catalog: te.Catalog) -> None:
    engine = te.Engine(catalog)
    d = received(engine, "2025-08-04T09:00", documents_received=["Tờ khai", {"name": "Giấy chứng sinh"}])
    doc = json.loads(engine.form(d.id, "01", format="json"))
    fields = doc["fields"]
    assert fields["number"] == d.number and fields["actor"] == "desk-1"
    assert fields["received_at"] == "09 giờ 05 phút, ngày 04/08/2025"
    assert fields["appointment_at"] and fields["issued_date"] == "ngày 04 tháng 08 năm 2025"
    assert [r["name"] for r in fields["documents"]] == ["Tờ khai", "Giấy chứng sinh"]
    assert fields["applicant"]["phone"] == APPLICANT["phone"]
    html = engine.form(d.id, "01")
    assert "size:A5" in html and fields["appointment_at"] in html and d.number in html


def test_errors_name_the_dossier_the_form_and_the_fix(catalog: te.Catalog) -> None:
    engine = te.Engine(catalog)
    lodged = engine.submit(BIRTH, actor=DESK, at=vn("2025-08-04T09:00"), channel="online", data={})
    with pytest.raises(te.TransitionError, match=r"form 01 .* never issued .*not received") as info:
        engine.form(lodged.id, "01")
    assert lodged.id in str(info.value) and "receive the dossier first" in str(info.value)
    d = received(engine, "2025-08-04T10:00")
    with pytest.raises(te.TransitionError, match="issued by the action request_supplement"):
        engine.form(d.id, "02")
    with pytest.raises(te.TransitionError, match=r"entry #1 .* did not issue form 01"):
        engine.form(d.id, "01", sequence=1)
    with pytest.raises(te.ConfigurationError, match="unknown form '07'"):
        engine.form(d.id, "07")
    with pytest.raises(te.ConfigurationError, match="tracking_book"):
        engine.form(d.id, "06")
    with pytest.raises(te.ConfigurationError, match="unknown form format 'pdf'"):
        engine.form(d.id, "01", format="pdf")


def test_verification_code_finds_the_entry_and_sees_tampering(catalog: te.Catalog, tmp_path: Path) -> None:
    db = tmp_path / "desk.db"
    engine = te.Engine(catalog, store=te.SQLiteStore(db))
    d = received(engine, "2025-08-04T10:00")
    code = json.loads(engine.form(d.id, "01", format="json"))["verification_code"]
    receipt = engine.history(d.id)[-1]
    assert code == te.verification_code(d.id, "01", receipt.hash)
    assert code != te.verification_code(d.id, "01", receipt.hash, key=b"desk secret")
    records = [(engine.get(d.id), engine.history(d.id), engine.procedure_of(d))]
    match = te.find_form_code(code.lower().replace("-", " "), records)
    assert match is not None and match.intact and match.latest
    found = (match.dossier_id, match.form, match.sequence, match.number)
    assert found == (d.id, "01", receipt.sequence, d.number)
    assert te.find_form_code("AAAAA-AAAAA", records) is None
    engine.store.close()
    with sqlite3.connect(db) as conn:  # someone edits the receipt's note in the file
        body = json.loads(conn.execute("SELECT body FROM audit_entries WHERE sequence = 2").fetchone()[0])
        body["note"] = "sửa"
        conn.execute("UPDATE audit_entries SET body = ? WHERE sequence = 2", (json.dumps(body),))
    engine = te.Engine(catalog, store=te.SQLiteStore(db))
    records = [(engine.get(d.id), engine.history(d.id), engine.procedure_of(d))]
    match = te.find_form_code(code, records)
    assert match is not None and not match.intact and "entry" in (match.problem or "")
    engine.store.close()


def test_same_bytes_twice_and_after_a_reload(catalog: te.Catalog, tmp_path: Path) -> None:
    db = tmp_path / "desk.db"
    engine = te.Engine(catalog, store=te.SQLiteStore(db))
    d = rescheduled(engine, received(engine, "2025-08-04T10:00"), "2025-08-04T11:00")
    before = {(f, fmt): engine.form(d.id, f, format=fmt) for f in ("01", "04", "05") for fmt in FORMATS}
    engine.store.close()
    again = te.Engine(catalog, store=te.SQLiteStore(db))
    after = {(f, fmt): again.form(d.id, f, format=fmt) for f in ("01", "04", "05") for fmt in FORMATS}
    assert before == after
    again.store.close()


def test_a_host_overrides_a_template(catalog: te.Catalog, tmp_path: Path) -> None:
    shipped = Path(te.__file__).parent / "reporting" / "forms" / "templates" / "2025-07-01" / "01.json"
    mine = json.loads(shipped.read_text(encoding="utf-8"))
    mine["title"] = "GIẤY BIÊN NHẬN HỒ SƠ (mẫu của tỉnh)"
    (tmp_path / "2025-07-01").mkdir()
    (tmp_path / "2025-07-01" / "01.json").write_text(json.dumps(mine, ensure_ascii=False), encoding="utf-8")
    engine = te.Engine(catalog)
    d = rescheduled(engine, received(engine, "2025-08-04T10:00"), "2025-08-04T11:00")
    assert "GIẤY BIÊN NHẬN HỒ SƠ (mẫu của tỉnh)" in engine.form(d.id, "01", template_dir=tmp_path)
    assert "XIN LỖI" in engine.form(d.id, "04", template_dir=tmp_path)  # not overridden: shipped
    with pytest.raises(te.ConfigurationError, match="not found"):
        engine.form(d.id, "01", template_dir=tmp_path / "nowhere")


def test_qr_code_with_segno_and_a_note_without(catalog: te.Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = te.Engine(catalog)
    d = received(engine, "2025-08-04T10:00")
    pytest.importorskip("segno", reason="the forms extra: pip install 'tthc-engine[forms]'")
    assert "<svg" in engine.form(d.id, "01")
    monkeypatch.setitem(sys.modules, "segno", None)  # as if the extra were not installed
    html = engine.form(d.id, "01")
    assert "<svg" not in html and "tthc-engine[forms]" in html


def test_tracking_book_numbers_through_the_year(catalog: te.Catalog) -> None:
    """Circular 01/2018/TT-VPCP Art. 10(2): entries are numbered from the year's first receipt."""
    engine = te.Engine(catalog)
    ids = [received(engine, at).id for at in ("2025-01-06T09:00", "2025-02-03T09:00", "2025-03-03T09:00")]
    other = engine.submit(BIRTH, actor=DESK, at=vn("2025-03-03T10:00"), data={"applicant": APPLICANT})
    engine.act(other.id, "accept", actor=DESK, at=vn("2025-03-03T10:05"), agency="000.02.21.H47")
    dossiers = [engine.get(i) for i in [*ids, other.id]]
    records = [(d, engine.history(d.id), engine.procedure_of(d)) for d in dossiers]
    desk = engine.get(ids[0]).receiving_agency
    assert desk is not None
    book = json.loads(te.tracking_book(records, agency=desk, start=dt.date(2025, 3, 1),
                                       end=dt.date(2025, 3, 31), format="json"))  # fmt: skip
    rows = book["fields"]["rows"]
    assert [(r["no"], r["number"]) for r in rows] == [(3, engine.get(ids[2]).number)]
    assert book["page"] == "A4" and rows[0]["applicant"] == APPLICANT["name"]
    html = te.tracking_book(records, agency=desk, start=dt.date(2025, 1, 1), end=dt.date(2025, 3, 31))
    assert "size:A4 landscape" in html and html.count("<tr>") == 4  # header + three entries
    with pytest.raises(te.ConfigurationError, match="within one year"):
        te.tracking_book(records, agency=desk, start=dt.date(2024, 12, 1), end=dt.date(2025, 1, 31))


def test_note_items_are_listed(catalog: te.Catalog) -> None:
    engine = te.Engine(catalog)
    d = received(engine, "2025-08-04T10:00")
    d = engine.act(d.id, "request_supplement", actor=DESK, at=vn("2025-08-04T10:30"), note=NOTE)
    items = json.loads(engine.form(d.id, "02", format="json"))["fields"]["items"]
    assert items == ["Thiếu bản sao giấy tờ chứng minh nơi cư trú", "Tờ khai chưa ghi ngày"]


def test_a_refusal_at_the_desk_carries_the_lodgement_reference(catalog: te.Catalog) -> None:
    """A dossier declined at reception never gets a national number (a declined dossier consumes
    none): its form 03 names it by its lodgement reference, and its code still finds it."""
    engine = te.Engine(catalog)
    at = vn("2025-08-04T09:00")
    d = engine.submit(BIRTH, actor=DESK, at=at, channel="online", data={"applicant": APPLICANT})
    d = engine.act(d.id, "decline", actor=DESK, at=at, note="Không thuộc thẩm quyền của xã")
    assert d.number is None and d.reference
    text = engine.form(d.id, "03", format="text")
    assert f"Mã nộp hồ sơ: {d.reference}" in text and "Không thuộc thẩm quyền của xã" in text
    code = json.loads(engine.form(d.id, "03", format="json"))["verification_code"]
    match = te.find_form_code(code, [(d, engine.history(d.id), engine.procedure_of(d))])
    assert match is not None and match.form == "03"


def test_shipped_template_sets_are_complete() -> None:
    """Both sets have every form (the stop notice only from 2025), each file well formed."""
    from tthc_engine.reporting.forms.templates import SHIPPED, load_template

    sets = sorted(p.name for p in SHIPPED.iterdir() if p.is_dir())
    assert sets == ["2019-01-06", "2025-07-01"]
    for day, forms in ((dt.date(2019, 1, 6), ("01", "02", "03", "04", "05", "06")),
                       (dt.date(2025, 7, 1), ("01", "02", "03", "04", "05", "06", "stop"))):  # fmt: skip
        numbers = [load_template(form, day).number for form in forms]
        assert len(set(numbers)) == len(numbers), numbers
        for form in forms:
            template = load_template(form, day)
            assert template.set_from == day and template.page == ("A4" if form == "06" else "A5")
            assert template.nation == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and template.confirmed is False
    assert load_template("01", dt.date(2018, 12, 1)).set_from == dt.date(2019, 1, 6)  # before the first set
