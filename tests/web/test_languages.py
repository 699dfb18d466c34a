"""The reader's language: where it comes from, the switcher, and translated pages."""

import uuid

import pytest
from litestar.testing import TestClient

from audits.tables import Audit, AuditDraft, OrgSettings, Profile
from web.app import create_app
from web.settings import Settings

from ..conftest import run
from .conftest import form, login
from .test_audit_form import _fields, _new_form_id

pytestmark = pytest.mark.db


def _profile_language(username: str) -> str | None:
    from piccolo.apps.user.tables import BaseUser

    row = run(
        Profile.select(Profile.language)
        .where(
            Profile.user.id.is_in(BaseUser.select(BaseUser.id).where(BaseUser.username == username))
        )
        .first()
        .run()
    )
    return row["language"]


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "Log in"), ("el", "Σύνδεση"), ("pl", "Zaloguj się"), ("fa", "ورود")],
)
def test_login_page_accept_language_picks_the_language(client, lang, words):
    page = client.get("/login", headers={"Accept-Language": f"{lang};q=0.9, de"})
    assert f'<html lang="{lang}"' in page.text
    assert f"<h1>{words}</h1>" in page.text


def test_login_page_persian_is_right_to_left(client):
    page = client.get("/login?lang=fa")
    assert 'dir="rtl"' in page.text and "نام کاربری" in page.text


def test_page_unsupported_browser_language_uses_the_organisations_default(db):
    run(OrgSettings.insert(OrgSettings(name="Org", default_language="fa")).run())
    settings = Settings(database_url=db, secret_key="t", db_pool=False, default_language="pl")
    with TestClient(create_app(settings)) as client:
        page = client.get("/login", headers={"Accept-Language": "de-DE"})
    assert '<html lang="fa" dir="rtl">' in page.text


def test_page_without_organisation_settings_uses_the_setting(db):
    settings = Settings(database_url=db, secret_key="t", db_pool=False, default_language="pl")
    with TestClient(create_app(settings)) as client:
        page = client.get("/login")
    assert '<html lang="pl"' in page.text and "Zaloguj się" in page.text


def test_page_profile_language_wins_over_accept_language(client, org):
    run(Profile.update({Profile.language: "pl"}).where(Profile.role == "shopper").run())
    login(client, "sam")
    page = client.get("/audits", headers={"Accept-Language": "el"})
    assert '<html lang="pl"' in page.text and "<h1>Moje audyty</h1>" in page.text


def test_switch_logged_in_posted_saves_the_choice_to_the_profile(client, app_settings, org):
    login(client, "sam")
    response = form(client, "/language", {"lang": "el", "next": "/audits?status=x"})
    assert response.status_code in (302, 303)
    assert response.headers["location"] == "/audits?status=x"
    assert '<html lang="el"' in client.get("/audits").text
    assert _profile_language("sam") == "el"
    with TestClient(create_app(app_settings)) as other_device:
        login(other_device, "sam")
        assert '<html lang="el"' in other_device.get("/audits").text


@pytest.mark.parametrize("path", ["/audits", "/", "/visits/mine", "/account/password"])
def test_get_with_lang_shows_the_language_but_leaves_the_profile_alone(client, org, path):
    login(client, "sam")
    page = client.get(f"{path}?lang=fa")
    assert page.status_code == 200 and '<html lang="fa"' in page.text
    assert _profile_language("sam") is None  # a link or a prefetch changes nothing stored


def test_language_switch_without_csrf_token_is_refused(client, org):
    login(client, "sam")
    client.headers.pop("x-csrftoken")
    response = client.post("/language", data={"lang": "fa"}, follow_redirects=False)
    assert response.status_code == 403 and _profile_language("sam") is None


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
def test_language_switch_goes_back_only_within_the_site(client, target):
    response = form(client, "/language", {"lang": "pl", "next": target})
    assert response.headers["location"] == "/"
    assert '<html lang="pl"' in client.get("/login").text  # anonymous: the session only


def test_switch_unknown_language_changes_nothing(client, org):
    login(client, "sam")
    page = client.get("/audits?lang=xx")
    assert '<html lang="en"' in page.text and _profile_language("sam") is None


def test_switch_anonymous_is_kept_for_the_session(client):
    client.get("/login?lang=pl")
    assert '<html lang="pl"' in client.get("/login").text


def test_switcher_is_a_posted_form_back_to_the_page_and_its_query(client, org):
    login(client, "sam")
    page = client.get("/visits/mine?state=due&lang=el").text
    assert '<form method="post" action="/language" id="language-form"' in page
    assert 'name="next" value="/visits/mine?state=due"' in page
    assert 'form="language-form" name="lang" value="fa"' in page
    assert (
        "?lang=" not in page.split('class="languages"')[1].split("</nav>")[0]
    )  # no link changes the language


def test_audit_form_switcher_submits_the_form(client, org):
    login(client, "sam")
    audit_id = _new_form_id(client)
    page = client.get(f"/audits/new?branch=B1&checklist=service-fundamentals&id={audit_id}")
    assert 'form="audit-form" name="switch_language" value="fa"' in page.text


def test_audit_form_language_switch_keeps_what_was_typed(client, org):
    login(client, "sam")
    audit_id = _new_form_id(client)
    typed = _fields(
        org, id=audit_id, visit_minutes="17", **{"comments.greeted_verbally": "Χαμόγελο"}
    )
    response = form(client, "/audits", {**typed, "switch_language": "pl"})
    assert response.status_code == 302
    assert response.headers["location"].endswith(f"id={audit_id}&lang=pl")
    assert _profile_language("sam") == "pl"  # a posted switch is kept
    page = client.get(response.headers["location"])
    assert '<html lang="pl"' in page.text and "Złóż audyt" in page.text
    assert 'name="visit_minutes" value="17"' in page.text
    assert "Χαμόγελο</textarea>" in page.text
    assert run(Audit.count().run()) == 0  # a switch files nothing
    assert run(AuditDraft.count().run()) == 1


def test_audit_form_switch_with_a_broken_id_loses_nothing_and_files_nothing(client, org):
    login(client, "sam")
    response = form(client, "/audits", {**_fields(org, id="not-a-uuid"), "switch_language": "el"})
    assert response.status_code == 302 and response.headers["location"] == "/audits/new?lang=el"
    assert run(Audit.count().run()) == 0


@pytest.mark.parametrize(("user", "status"), [("max", 403), ("ada", 403), (None, 302)])
def test_audit_form_switch_other_roles_and_anonymous_are_refused(client, org, user, status):
    if user:
        login(client, user)
    fields = {**_fields(org, id=str(uuid.uuid4())), "switch_language": "el"}
    response = form(client, "/audits", fields)
    assert response.status_code == status
    if user is None:
        assert response.headers["location"].startswith("/login")
    assert run(AuditDraft.count().run()) == 0


def test_audit_form_field_errors_are_in_the_readers_language(client, org):
    login(client, "sam")
    form(client, "/language", {"lang": "pl"})
    audit_id = _new_form_id(client)
    page = form(client, "/audits", _fields(org, id=audit_id, visit_minutes="soon"))
    assert page.status_code == 422
    assert "Wpisz pełne minuty." in page.text


def test_flash_message_is_shown_in_the_readers_language(client, org):
    login(client, "sam")
    client.get("/audits?lang=el")
    page = form(client, "/logout")
    assert "Αποσυνδεθήκατε." in client.get(page.headers["location"]).text


def test_error_page_is_in_the_browsers_language(client):
    page = client.get("/no-such-page", headers={"Accept-Language": "fa"})
    assert page.status_code == 404
    assert 'dir="rtl"' in page.text and "بازگشت به صفحه آغاز" in page.text


def test_audit_result_persian_dates_are_solar_hijri_with_persian_digits(client, org):
    login(client, "sam")
    audit_id = _new_form_id(client)
    form(client, "/audits", _fields(org, id=audit_id))  # visited 2026-03-10 18:30
    page = client.get(f"/audits/{audit_id}?lang=fa")
    assert "۱۹ اسفند ۱۴۰۴ (۱۰ مارس ۲۰۲۶)، ۱۸:۳۰" in page.text  # on the branch's clock
    assert 'id="score">۱۰۰' in page.text.replace("\n", "")


def test_audit_result_greek_numbers_and_dates(client, org):
    login(client, "sam")
    audit_id = _new_form_id(client)
    form(client, "/audits", _fields(org, id=audit_id))
    page = client.get(f"/audits/{audit_id}?lang=el")
    assert "10 Μαρ 2026" in page.text and "Αποτυχημένα σημεία" in page.text
