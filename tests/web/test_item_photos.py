"""Photos and comments on any item (issue 17): filed through the API and the plain form post,
linked to the audit like a photo item's photo, asked for when an item fails (the checklist's
``on_fail``), shown under their item in the visit report and its PDF, and to a manager with no
metadata."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from audits.tables import Audit, Evidence
from checklists import queries
from checklists.model import Ask, OnFail
from web.audit_form import form_rules

from ..conftest import run
from .audit_fixtures import audit_body
from .conftest import csrf, form, login
from .photo_files import CAMERA, OWNER, decoded, phone_jpeg
from .report_helpers import as_user, pdf_images, png_bytes, publish
from .test_audit_form import _fields, _new_form_id

ITEM = "entrance_clean_tidy"  # a yes/no item, no photo item
CRITICAL = "treated_with_respect"  # on_fail: comment required (the default checklist)


def _upload(client, item: str = ITEM, data: bytes | None = None) -> str:
    photo = data or png_bytes()
    response = client.post(
        "/api/evidence", files={"file": ("p.png", photo, "image/png")}, data={"item": item}
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _linked(audit_id: str) -> dict[str, str]:
    query = Evidence.select(Evidence.id, Evidence.item_key).where(Evidence.audit_id == audit_id)
    rows = run(query.run())
    return {str(r["id"]): r["item_key"] for r in rows}


def test_api_files_a_photo_and_comment_on_a_failed_item(client, org):
    as_user(client, "sam")
    photo = _upload(client)
    body = audit_body(org)
    body["answers"][ITEM] = False
    body["comments"] = {ITEM: "Litter by the door."}
    body["photos"] = {ITEM: [photo]}
    response = client.post("/api/audits", json=body)
    assert response.status_code == 201, response.text
    assert response.json()["photos"] == {ITEM: [photo]}
    assert _linked(body["id"]) == {photo: ITEM}
    read = client.get(f"/api/audits/{body['id']}").json()
    assert read["photos"] == {ITEM: [photo]} and read["comments"] == {ITEM: "Litter by the door."}


def test_someone_elses_photo_is_refused_naming_the_item(client, org):
    as_user(client, "sue")
    theirs = _upload(client)
    as_user(client, "sam")
    body = audit_body(org, photos={ITEM: [theirs]})
    response = client.post("/api/audits", json=body)
    assert response.status_code == 422
    assert [e["key"] for e in response.json()["errors"]] == [f"photos.{ITEM}"]
    assert run(Audit.count().run()) == 0 and _linked(body["id"]) == {}


def test_form_post_without_javascript_attaches_the_photo_to_its_item(client, org):
    login(client, "sam")
    audit_id = _new_form_id(client)
    fields = _fields(org, id=audit_id, **{f"answers.{ITEM}": "no", f"comments.{ITEM}": "Dusty."})
    response = client.post(
        "/audits",
        data={**fields, "_csrf_token": csrf(client)},
        files={f"photo.{ITEM}": ("door.png", png_bytes(), "image/png")},
        follow_redirects=False,
    )
    assert response.status_code == 302, response.text[-2000:]
    row = run(Audit.select(Audit.photos, Audit.comments).where(Audit.id == audit_id).first().run())
    photos = msgspec.json.decode(row["photos"]) if isinstance(row["photos"], str) else row["photos"]
    assert list(photos) == [ITEM] and len(photos[ITEM]) == 1
    assert _linked(audit_id) == {photos[ITEM][0]: ITEM}


def test_form_keeps_an_attached_photo_when_shown_again_with_an_error(client, org):
    as_user(client, "sam")
    photo = _upload(client)
    audit_id = _new_form_id(client)
    fields = _fields(
        org, id=audit_id, **{"answers.queue_wait_minutes": "a while", f"photos.{ITEM}": photo}
    )
    response = form(client, "/audits", fields)
    assert response.status_code == 422
    assert f'value="{photo}" class="photos-ref"' in response.text
    assert f'src="/api/evidence/{photo}"' in response.text and "Remove" in response.text


def test_required_comment_on_failure_is_a_field_error_and_nothing_is_written(client, org):
    as_user(client, "sam")
    photo = _upload(client, CRITICAL)
    body = audit_body(org, photos={CRITICAL: [photo]})
    body["answers"][CRITICAL] = False
    response = client.post("/api/audits", json=body)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"key": f"comments.{CRITICAL}", "message": "A comment is required when this item fails."}
    ]
    assert run(Audit.count().run()) == 0 and _linked(body["id"]) == {}
    body["comments"] = {CRITICAL: "Rolled eyes at my question."}
    assert client.post("/api/audits", json=body).status_code == 201


def test_the_form_says_the_comment_is_required_beside_the_item(client, org):
    login(client, "sam")
    audit_id = _new_form_id(client)
    response = form(client, "/audits", _fields(org, id=audit_id, **{f"answers.{CRITICAL}": "no"}))
    assert response.status_code == 422
    item = response.text.split(f'id="item-{CRITICAL}"')[1].split('<div class="field')[0]
    assert "A comment is required when this item fails." in item and 'role="alert"' in item
    assert 'data-comment="required"' in item
    assert run(Audit.count().run()) == 0


def test_required_photo_on_failure_names_the_photos_field(client, org):
    """A checklist version whose item asks for a photo when it fails."""
    sections = [
        msgspec.structs.replace(
            s,
            items=[
                msgspec.structs.replace(i, on_fail=OnFail(photo=Ask.required))
                if i.key == ITEM
                else i
                for i in s.items
            ],
        )
        for s in org.sections
    ]
    run(
        queries.import_checklist(
            msgspec.structs.replace(org, sections=sections), by="t", publish=True
        )
    )
    _, stored = run(queries.get_version("service-fundamentals"))
    assert stored.item(ITEM).on_fail == OnFail(photo=Ask.required)  # kept by the version
    rule = next(r for r in form_rules(stored)["items"] if r["key"] == ITEM)
    assert rule["fails"] == ["no"] and rule["on_fail"] == {
        "comment": "offered",
        "photo": "required",
    }
    as_user(client, "sam")
    body = audit_body(stored)
    body["answers"][ITEM] = False
    response = client.post("/api/audits", json=body)
    assert response.status_code == 422
    assert [e["key"] for e in response.json()["errors"]] == [f"photos.{ITEM}"]
    assert run(Audit.count().run()) == 0
    body["photos"] = {ITEM: [_upload(client)]}
    assert client.post("/api/audits", json=body).status_code == 201


def test_visit_report_and_pdf_show_the_items_photo_and_a_manager_gets_no_metadata(client, org):
    as_user(client, "sam")
    photo = _upload(client, data=phone_jpeg(60, 20))
    body = audit_body(org, photos={ITEM: [photo]})
    body["answers"][ITEM] = False
    assert client.post("/api/audits", json=body).status_code == 201
    publish(body["id"])
    as_user(client, "max")
    page = client.get(f"/reports/visits/{body['id']}").text
    item = page.split(f'id="answer-{ITEM}"')[1].split("</li>")[0]
    assert f'src="/api/evidence/{photo}"' in item  # under its item
    pdf = client.get(f"/reports/visits/{body['id']}/pdf")
    assert pdf.status_code == 200 and pdf_images(pdf.content) == 1  # the item's photo
    audit = client.get(f"/api/audits/{body['id']}").json()
    assert audit["photos"] == {ITEM: [photo]} and audit["evidence"] is None
    served = client.get(f"/api/evidence/{photo}").content
    assert not decoded(served).getexif()
    assert OWNER.encode() not in served and CAMERA.encode() not in served


def test_a_planned_visits_form_proposes_a_time_in_its_shift(client, people, fundamentals):
    from .visit_fixtures import _make

    planned = run(_make())
    login(client, "sam")
    page = client.get(
        f"/audits/new?branch=V01&checklist=service-fundamentals&visit={planned['sam']}"
        f"&id={uuid.uuid4()}"
    )
    assert page.status_code == 200
    proposed = page.text.split('name="visited_at" value="')[1].split('"')[0]
    day = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=2)  # the fixture's window
    assert proposed == f"{day.isoformat()}T07:00"  # the morning shift's start


def test_a_returned_audit_resubmitted_without_a_photo_lets_it_go_and_takes_the_new_one(client, org):
    as_user(client, "sam")
    old, new = _upload(client), _upload(client)
    body = audit_body(org, photos={ITEM: [old]})
    assert client.post("/api/audits", json=body).status_code == 201
    as_user(client, "ada")
    returned = client.post(f"/api/audits/{body['id']}/return", json={"comment": "Other photo."})
    assert returned.status_code == 200, returned.text
    as_user(client, "sam")
    body["photos"] = {ITEM: [new]}  # removed on the phone, another taken
    assert client.post("/api/audits", json=body).status_code in (200, 201)
    assert _linked(body["id"]) == {new: ITEM}
    assert client.get(f"/api/audits/{body['id']}").json()["photos"] == {ITEM: [new]}


def test_the_checklist_page_says_which_items_ask_for_a_comment_on_failure(client, org):
    login(client, "ada")
    page = client.get("/checklists/service-fundamentals/versions/1").text
    assert page.count("comment required on failure") == 3  # the three critical items
    assert "photo required on failure" not in page
