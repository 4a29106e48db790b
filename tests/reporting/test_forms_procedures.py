"""Every form on every shipped procedure version: rendered from the record, in every format, twice
the same bytes; the template set is the one in force on the day the form was issued."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from forms_helpers import APPLICANT, day_for, path_to, run

import tthc_engine as te


@pytest.fixture(scope="module")
def catalog(procedures_dir: Path) -> te.Catalog:
    return te.Catalog.load(procedures_dir)


def _procs() -> list[tuple[str, str]]:
    return [(p.code, p.version) for p in te.Catalog.load(Path(__file__).resolve().parents[2] / "procedures")]


@pytest.mark.parametrize("form", ["01", "02", "03", "04"])
@pytest.mark.parametrize(("code", "version"), _procs())
def test_every_issued_form_renders(catalog: te.Catalog, code: str, version: str, form: str) -> None:
    proc = catalog.get(code, version)
    path = path_to(proc, form)
    if path is None:
        pytest.skip(f"{code} {version}: no action issues form {form}")
    engine = te.Engine(catalog)
    *_, d = run(engine, proc, path, day_for(catalog, proc))
    html = engine.form(d.id, form, format="html")
    assert html == engine.form(d.id, form, format="html"), "same form, same bytes"
    assert '<html lang="vi">' in html and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html
    assert "Độc lập - Tự do - Hạnh phúc" in html and proc.agency.name.upper() in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html
    text = engine.form(d.id, form, format="text")
    doc = json.loads(engine.form(d.id, form, format="json"))
    assert doc["fields"]["procedure"]["name"] == proc.name.vi
    assert doc["fields"]["applicant"]["name"] == APPLICANT["name"] and APPLICANT["name"] in text
    assert doc["verification_code"] in text and doc["verification_code"] in html
    if d.number:
        assert d.number in text and d.number in html
    if form in ("02", "03"):
        assert "Tờ khai chưa ghi ngày" in text  # the items written in the act's note
    if form == "04":
        assert doc["fields"]["old_appointment_at"] and doc["fields"]["appointment_at"]
        assert doc["fields"]["old_appointment_at"] != doc["fields"]["appointment_at"]
    if form == "01":
        assert doc["fields"]["appointment_at"] or proc.deadline.unit == "same_day"
        names = [c.name for c in proc.documents if c.required]
        assert [r["name"] for r in doc["fields"]["documents"]] == names


@pytest.mark.parametrize(("code", "version"), _procs())
def test_control_slip_and_stop_notice(catalog: te.Catalog, code: str, version: str) -> None:
    proc = catalog.get(code, version)
    engine = te.Engine(catalog)
    day = day_for(catalog, proc)
    path = path_to(proc, None, final_status=(7, 8))
    assert path is not None, f"{code} {version} has no stop after receipt"
    *_, d = run(engine, proc, path, day)
    slip = json.loads(engine.form(d.id, "05", format="json"))
    assert slip["fields"]["steps"], "the slip lists the hand-overs since receipt"
    if day.isoformat() >= "2025-07-01":
        assert slip["number_in_set"] == "06" and "03/2025/TT-VPCP" in slip["source"]
        stop = engine.form(d.id, "stop", format="text")
        assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in stop and "Tờ khai chưa ghi ngày" in stop
    else:
        assert slip["number_in_set"] == "05" and "01/2018/TT-VPCP" in slip["source"]
        with pytest.raises(te.ConfigurationError, match="stop notice exists from 01/07/2025"):
            engine.form(d.id, "stop")
