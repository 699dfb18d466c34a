"""Evidence of presence over HTTP: the phone's evidence is filed with the audit and the distance
to the branch computed once; head office reads it on the review page; the shopper reads their
own; a branch manager never gets it; nonsense is a 422 naming the field; coordinates are set on
/admin/org."""

import datetime as dt
import io
import re

import pytest
from PIL import Image

from audits.tables import Audit, Branch, Evidence

from ..conftest import run
from .audit_fixtures import audit_body
from .conftest import form, login
from .report_helpers import as_user, publish

BRANCH_B1 = (37.975527, 23.734840)
NEAR = {"latitude": 37.9757, "longitude": 23.7351, "accuracy": 15}
FAR = {"latitude": 40.6401, "longitude": 22.9444, "accuracy": 12}
EVIDENCE = {
    "opened": NEAR,
    "sent": FAR,
    "form_seconds": 754,
    "section_seconds": {"arrival": 95},
}


def _locate_b1() -> None:
    lat, lon = BRANCH_B1
    run(
        Branch.update({Branch.latitude: lat, Branch.longitude: lon})
        .where(Branch.code == "B1")
        .run()
    )


def _camera_jpeg(taken: str) -> bytes:
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = taken
    out = io.BytesIO()
    Image.new("RGB", (32, 24), "teal").save(out, "JPEG", exif=exif)
    return out.getvalue()


def _file(client, org, **overrides) -> dict:
    as_user(client, "sam")
    response = client.post("/api/audits", json=audit_body(org, evidence=EVIDENCE, **overrides))
    assert response.status_code == 201, response.text
    return response.json()


def test_filing_stores_the_evidence_and_the_distance_to_the_branch_once(client, org):
    _locate_b1()
    filed = _file(client, org)
    evidence = filed["evidence"]  # the shopper reads their own
    assert evidence["form_seconds"] == 754 and evidence["section_seconds"] == {"arrival": 95}
    assert 20 <= evidence["opened_distance_m"] <= 40
    assert evidence["sent_distance_m"] > 290_000
    assert "far_from_branch" not in run(Audit.select(Audit.flags).first().run())["flags"]
    run(
        Branch.update({Branch.latitude: 0.0, Branch.longitude: 0.0}, force=True).run()
    )  # moved since
    as_user(client, "ada")
    again = client.get(f"/api/audits/{filed['id']}").json()["evidence"]
    assert again["opened_distance_m"] == evidence["opened_distance_m"]  # computed at filing


def test_audit_without_evidence_or_branch_coordinates_files_as_before(client, org):
    as_user(client, "sam")
    plain = client.post("/api/audits", json=audit_body(org))
    assert plain.status_code == 201 and plain.json()["evidence"] is None
    unplaced = _file(client, org)["evidence"]
    assert unplaced["opened"]["latitude"] == NEAR["latitude"]
    assert unplaced["opened_distance_m"] is None and unplaced["sent_distance_m"] is None


@pytest.mark.parametrize(
    ("evidence", "key"),
    [
        ({"opened": {"latitude": 91, "longitude": 0}}, "evidence.opened.latitude"),
        ({"sent": {"latitude": 0, "longitude": 181}}, "evidence.sent.longitude"),
        ({"opened": {"latitude": 0, "longitude": 0, "accuracy": -3}}, "evidence.opened.accuracy"),
        ({"form_seconds": -1}, "evidence.form_seconds"),
        ({"form_seconds": 86401}, "evidence.form_seconds"),
        ({"section_seconds": {"arrival": "ages"}}, "evidence.section_seconds[...]"),
        ({"section_seconds": {f"s{i}": 1 for i in range(201)}}, "evidence.section_seconds"),
        ("here", "evidence"),
    ],
)
def test_nonsense_evidence_is_422_naming_the_field_and_writes_nothing(client, org, evidence, key):
    as_user(client, "sam")
    response = client.post("/api/audits", json=audit_body(org, evidence=evidence))
    assert response.status_code == 422
    assert [e["key"] for e in response.json()["errors"]] == [key]
    assert run(Audit.count().run()) == 0


def test_resubmitted_audit_keeps_the_evidence_of_its_first_filing(client, org):
    _locate_b1()
    filed = _file(client, org)
    run(Audit.update({Audit.status: "returned"}, force=True).run())
    body = audit_body(org, id=filed["id"], evidence={**EVIDENCE, "form_seconds": 30})
    as_user(client, "sam")
    assert client.post("/api/audits", json=body).status_code == 200
    assert client.get(f"/api/audits/{filed['id']}").json()["evidence"]["form_seconds"] == 754


def test_photo_capture_time_is_kept_and_shown_to_head_office_only(client, org):
    _locate_b1()
    as_user(client, "sam")
    photo = {"file": ("p.jpg", _camera_jpeg("2026:02:01 09:15:00"), "image/jpeg")}
    photo_id = client.post("/api/evidence", files=photo).json()["id"]
    stored = run(Evidence.select(Evidence.taken_at).first().run())
    assert stored["taken_at"] == dt.datetime(2026, 2, 1, 9, 15)
    answers = {**audit_body(org)["answers"], "premises_photo": photo_id}
    filed = _file(client, org, answers=answers)
    flags = run(Audit.select(Audit.flags).first().run())["flags"]
    assert "photo_taken_outside_visit" in flags
    as_user(client, "ada")
    page = client.get(f"/review/{filed['id']}").text
    assert "Evidence of presence" in page
    assert "Feb 1, 2026, 9:15" in page and "m from the branch" in page
    persian = client.get(f"/review/{filed['id']}?lang=fa").text  # the camera's time, in Persian
    assert "۱۲ بهمن ۱۴۰۴ (۱ فوریه ۲۰۲۶)، ۹:۱۵" in persian
    assert client.get("/?lang=en").status_code == 200
    assert "12 min 34 s" in page  # 754 seconds on the form
    assert "A photo was taken outside the visit" in page


def test_manager_never_gets_the_evidence_in_json_or_pages(client, org):
    _locate_b1()
    filed = _file(client, org)
    publish(filed["id"])
    as_user(client, "max")
    assert client.get(f"/api/audits/{filed['id']}").json()["evidence"] is None
    assert all(a["evidence"] is None for a in client.get("/api/audits").json())
    page = client.get(f"/branch-audits/{filed['id']}").text
    assert "from the branch" not in page and "37.9757" not in page
    # nor the time on the form (754 s), as a number of its own: a random CSRF token in the
    # page may hold the digits "754"
    assert "12 min 34 s" not in page and not re.search(r"(?<![0-9a-f])754(?![0-9a-f])", page)
    assert client.get(f"/review/{filed['id']}", follow_redirects=False).status_code == 403


def test_admin_sets_branch_coordinates_and_nonsense_is_422(client, org):
    login(client, "root")
    data = {"code": "B1", "name": "Branch B1", "timezone": "Europe/Athens"}
    saved = form(
        client,
        "/admin/org/branches/B1",
        {**data, "latitude": "37.975527", "longitude": "23.73484", "active": "on"},
    )
    assert saved.status_code == 302
    row = run(
        Branch.select(Branch.latitude, Branch.longitude).where(Branch.code == "B1").first().run()
    )
    assert row == {"latitude": 37.975527, "longitude": 23.73484}
    assert 'value="37.975527"' in client.get("/admin/org/branches/B1").text
    bad = form(client, "/admin/org/branches/B1", {**data, "latitude": "137", "longitude": "23"})
    assert bad.status_code == 422 and "use -90 to 90 degrees" in bad.text
    half = form(client, "/admin/org/branches/B1", {**data, "latitude": "37.9"})
    assert half.status_code == 422 and "give both latitude and longitude" in half.text
