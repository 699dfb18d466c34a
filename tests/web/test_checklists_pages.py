"""Head office's checklist pages: import, edit as a draft, publish, retire, preview, compare."""

import asyncio

import pytest

from checklists import queries
from checklists.documents import dump_checklist

from .conftest import form, login

SMALL = """\
slug: kiosk
title: {en: Kiosk visit, el: Επίσκεψη περιπτέρου}
sections:
- key: service
  title: {en: Service, el: Εξυπηρέτηση}
  items:
  - key: greeted
    type: yes_no
    text: {en: Were you greeted?, el: Σας χαιρέτησαν;}
    dimension: respect
"""


def _import(client, text=SMALL, publish=True):
    data = {"text": text}
    if publish:
        data["publish"] = "1"
    return form(client, "/checklists/import", files={"file": ("", b"")}, data=data)


def test_import_pasted_yaml_redirects_to_the_new_version(client, people):
    login(client, "ada")
    response = _import(client)
    assert response.status_code == 302
    assert response.headers["location"] == "/checklists/kiosk/versions/1"
    page = client.get("/checklists/kiosk/versions/1")
    assert "Kiosk visit" in page.text and "Were you greeted?" in page.text


def test_import_uploaded_file_with_broken_line_shows_the_line(client, people):
    login(client, "ada")
    broken = SMALL.replace("type: yes_no", "type: yes_no\n    weight: heavy")
    response = form(client, "/checklists/import", files={"file": ("kiosk.yaml", broken.encode())})
    assert response.status_code == 422
    assert "line 9" in response.text and "weight" in response.text
    assert asyncio.run(queries.list_checklists()) == []


def test_import_too_large_file_is_413(client, people):
    login(client, "ada")
    response = form(client, "/checklists/import", files={"file": ("big.yaml", b"#" * 1_200_000)})
    assert response.status_code == 413


def test_edit_published_version_is_409_with_a_way_forward(client, people):
    login(client, "ada")
    _import(client)
    page = client.get("/checklists/kiosk/versions/1/edit")
    assert page.status_code == 409
    assert "published and can no longer change" in page.text
    saved = form(client, "/checklists/kiosk/versions/1/edit", {"text": SMALL})
    assert saved.status_code == 409


def test_edit_as_new_draft_then_publish_keeps_old_version(client, people):
    login(client, "ada")
    _import(client)
    assert form(client, "/checklists/kiosk/drafts").headers["location"] == (
        "/checklists/kiosk/versions/2/edit"
    )
    changed = SMALL.replace("Were you greeted?", "Were you greeted warmly?")
    assert form(client, "/checklists/kiosk/versions/2/edit", {"text": changed}).status_code == 302
    assert form(client, "/checklists/kiosk/versions/2/publish").status_code == 302
    assert "Were you greeted?" in client.get("/checklists/kiosk/versions/1").text
    assert "greeted warmly" in client.get("/checklists/kiosk/versions/2").text
    compare = client.get("/checklists/kiosk/compare?old=1&new=2")
    assert "greeted" in compare.text and "text" in compare.text


def test_edit_draft_with_error_keeps_the_text_and_names_the_line(client, people):
    login(client, "ada")
    _import(client, publish=False)
    broken = SMALL.replace("dimension: respect", "dimension: kindness")
    response = form(client, "/checklists/kiosk/versions/1/edit", {"text": broken})
    assert response.status_code == 422
    assert "line 10" in response.text and "kindness" in response.text
    _, doc = asyncio.run(queries.get_version("kiosk", 1))
    assert doc.items()[0].dimension.value == "respect"


def test_retire_marks_the_checklist_in_the_list(client, people):
    login(client, "ada")
    _import(client)
    assert form(client, "/checklists/kiosk/retire").status_code == 302
    assert "retired" in client.get("/checklists").text


def test_preview_in_greek_shows_greek_items_and_english_fallback_marked(client, people):
    login(client, "ada")
    _import(
        client,
        SMALL.replace("Επίσκεψη περιπτέρου", "").replace(
            "title: {en: Kiosk visit, el: }", "title: {en: Kiosk visit}"
        ),
    )
    page = client.get("/checklists/kiosk/versions/1/preview?lang=el")
    assert page.status_code == 200
    assert "Σας χαιρέτησαν;" in page.text
    assert 'class="fallback"' in page.text  # the title has no Greek: English, marked


def test_export_gives_the_stored_document_as_yaml(client, people):
    login(client, "ada")
    _import(client)
    response = client.get("/checklists/kiosk/versions/1/export")
    _, doc = asyncio.run(queries.get_version("kiosk", 1))
    assert response.status_code == 200 and response.text == dump_checklist(doc)
    assert "attachment" in response.headers["content-disposition"]


@pytest.mark.parametrize("role", ["shopper", "manager"])
def test_management_pages_forbidden_to_other_roles(client, people, role):
    login(client, "ada")
    _import(client, publish=False)
    client.cookies.clear()
    login(client, people[role])
    assert client.get("/checklists/import").status_code == 403
    assert form(client, "/checklists/kiosk/versions/1/publish").status_code == 403
    assert client.get("/checklists/kiosk/versions/1").status_code == 404  # a draft
    assert "Kiosk" not in client.get("/checklists").text
