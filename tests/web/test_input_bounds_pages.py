"""The pages take the same bounds as the API (issue 14): a NUL, a huge number or a date at the
calendar's end in a form shows the error, never a 500, and writes nothing."""

from __future__ import annotations

import pytest

from audits.tables import Audit, Region, Visit

from ..conftest import run
from .conftest import csrf, form, login
from .test_audit_form import _fields, _new_form_id


def _multipart(client, url: str, data: dict):
    """POST the way the phone's form does (multipart, for its photos)."""
    files = {"_": ("", b"", "application/octet-stream")}
    data = {**data, "_csrf_token": csrf(client)}
    return client.post(url, data=data, files=files, follow_redirects=False)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("staff_description", "tall\x00"),
        ("comments.entrance_clean_tidy", "dusty\x00"),
        ("visit", str(2**63)),
        ("visit_minutes", str(2**31)),
        ("visit_minutes", "²"),
        ("visited_at", "0001-01-01T00:00"),
        ("visited_at", "9999-12-31T23:59"),
        ("answers.queue_wait_minutes", "1e400"),
        ("answers.courtesy", "⁵"),
    ],
)
def test_audit_form_bad_value_shows_the_form_with_the_error(client, org, field, value):
    login(client, "sam")
    fields = _fields(org, id=_new_form_id(client), **{field: value})
    response = _multipart(client, "/audits", fields)
    assert response.status_code == 422, response.text[-800:]
    assert "field-error" in response.text
    assert run(Audit.count().run()) == 0


def test_form_field_with_nul_shows_an_error_page_naming_it(client, org):
    login(client, "root")
    response = form(client, "/admin/org/regions", {"code": "R9", "name": "North\x00"})
    assert response.status_code == 422
    assert "name" in response.text and "NUL" in response.text
    assert not run(Region.exists().where(Region.code == "R9").run())


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_visit_form_date_at_calendar_end_shows_the_error(client, org, day):
    login(client, "ada")
    fields = {"branch": "B1", "checklist": "service-fundamentals", "window_start": day}
    response = form(client, "/visits/new", fields)
    assert response.status_code == 422
    assert "2000-01-01" in response.text
    assert run(Visit.count().run()) == 0


def test_plan_form_period_at_calendar_end_shows_the_error(client, org):
    login(client, "ada")
    fields = {"label": "far", "checklist": "service-fundamentals", "start": "9999-12-01"}
    response = form(client, "/visits/plan/preview", {**fields, "end": "9999-12-31"})
    assert response.status_code == 422, response.text[-500:]
    assert "2000-01-01" in response.text
