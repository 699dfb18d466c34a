"""Head office uploads audit history at /imports; imported audits show on the usual pages."""

import pytest

from audits.fieldwork.import_plan import audit_id
from audits.fieldwork.imports import import_audits
from audits.tables import Audit, Branch
from web.controllers.imports_pages import MAX_UPLOAD

from ..conftest import run
from .conftest import form, login

HEAD = "audit_ref,visited_at,branch,staff,auditor,calibration_of,score\n"
GOOD = HEAD + "x-1,2026-03-10T18:30,B1,B1-S1,sam,,81.5\nx-2,2026-03-10T18:50,B1,,sue,x-1,77\n"


def _upload(client, text: str | bytes, **fields: str):
    raw = text.encode() if isinstance(text, str) else text
    return form(client, "/imports", fields, files={"file": ("audits.csv", raw, "text/csv")})


@pytest.mark.parametrize("role", ["shopper", "manager", "office", "admin", None])
def test_imports_page_access_by_role(client, org, role):
    users = {"shopper": "sam", "manager": "max", "office": "ada", "admin": "root"}
    if role:
        login(client, users[role])
    page = client.get("/imports", follow_redirects=False)
    upload = _upload(client, GOOD)
    if role is None:
        assert page.status_code == upload.status_code == 302
        assert page.headers["location"].startswith("/login?next=/imports")
    elif role in ("office", "admin"):
        assert page.status_code == upload.status_code == 200
        assert 'href="/imports"' in page.text and "Import audit history" in page.text
    else:
        assert page.status_code == upload.status_code == 403
        assert 'href="/imports"' not in client.get("/").text
    imported = run(Audit.count().run())
    assert imported == (2 if role in ("office", "admin") else 0)


def test_imports_upload_shows_the_result_then_already_imported(client, org):
    login(client, "ada")
    first = _upload(client, GOOD)
    assert "Imported: 2 new, 0 already imported." in first.text
    again = _upload(client, GOOD)
    assert "Imported: 0 new, 2 already imported." in again.text


def test_imports_bad_file_lists_rows_and_columns_and_imports_nothing(client, org):
    login(client, "ada")
    bad = GOOD + "x-3,yesterday,B1,,sam,,70\nx-4,2026-03-11T10:00,B9,,sam,,170\n"
    response = _upload(client, bad)
    assert response.status_code == 422
    text = response.text
    assert "Nothing was imported: 2 problems." in text
    assert '<td class="number">4</td><td><code>visited_at</code></td>' in text
    assert '<td class="number">5</td><td><code>score</code></td>' in text
    assert "expected a score from 0 to 100, got &#39;170&#39;" in text
    assert run(Audit.count().run()) == 0


def test_imports_unknown_branch_is_reported_or_created_as_asked(client, org):
    login(client, "ada")
    text = HEAD + "x-1,2026-03-10T18:30,B9,,ines,,80\n"
    reported = _upload(client, text)
    assert reported.status_code == 422 and "branch &#39;B9&#39; is unknown" in reported.text
    created = _upload(client, text, create_missing="1")
    assert (
        created.status_code == 200 and "Created 1 branches, 0 staff and 1 auditors" in created.text
    )
    assert run(Branch.exists().where(Branch.code == "B9").run())


def test_imports_item_columns_score_against_the_chosen_checklist(client, org):
    login(client, "ada")
    text = "audit_ref,visited_at,branch,auditor,item:courtesy\nx-1,2026-03-10T10:00,B1,sam,4\n"
    without = _upload(client, text)
    assert without.status_code == 422 and "item columns need a checklist" in without.text
    chosen = _upload(client, text, checklist="service-fundamentals")
    assert chosen.status_code == 422  # the checklist's other required items have no column
    assert "<code>item:entrance_clean_tidy</code></td><td>required column is missing" in chosen.text


def test_imports_not_utf8_file_is_422_and_says_so(client, org):
    login(client, "ada")
    response = _upload(client, GOOD.encode("utf-8") + "Zoë\n".encode("latin-1"))
    assert response.status_code == 422 and "not UTF-8 text" in response.text
    assert run(Audit.count().run()) == 0


def test_imports_without_a_file_is_422(client, org):
    login(client, "ada")
    response = form(
        client, "/imports", {"checklist": ""}, files={"file": ("e.csv", b"", "text/csv")}
    )
    assert response.status_code == 422 and "Choose a CSV file to upload." in response.text


def test_imports_too_large_file_is_413_with_a_way_forward(client, org):
    login(client, "ada")
    response = _upload(client, b"#" * (MAX_UPLOAD + 100_000))
    assert response.status_code == 413
    assert "larger than 10 MB" in response.text and "evenly import audits" in response.text


def test_imported_audit_shows_on_head_office_and_branch_pages(client, org):
    run(import_audits(GOOD))
    audit = str(audit_id("x-1"))
    login(client, "ada")
    page = client.get(f"/review/{audit}")
    assert page.status_code == 200 and "81.5" in page.text
    assert "Score in the system the audit came from" in page.text
    api = client.get(f"/api/audits/{audit}")
    assert api.status_code == 200 and api.json()["score"] == 81.5
    assert api.json()["checklist"] == "imported-score" and api.json()["failed"] == []
    assert client.get("/api/audits").status_code == 200
    assert client.get("/review").status_code == 200
    login(client, "max")  # manages B1
    assert f"/branch-audits/{audit}" in client.get("/branch-audits").text
    branch_page = client.get(f"/branch-audits/{audit}")
    assert branch_page.status_code == 200 and "sam" not in branch_page.text
