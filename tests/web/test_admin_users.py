"""Admins manage users; every other role is refused, anonymous visitors go to the login."""

import pytest

from audits.tables import BaseUser, Branch

from ..conftest import run
from .conftest import PASSWORD, form, login

OTHERS = ["shopper", "manager", "office"]
ENDPOINTS = [
    ("get", "/admin/users"),
    ("get", "/admin/users/new"),
    ("post", "/admin/users/new"),
    ("get", "/admin/users/{id}"),
    ("post", "/admin/users/{id}"),
    ("post", "/admin/users/{id}/active"),
    ("post", "/admin/users/{id}/password"),
]


def _id(username: str) -> int:
    return run(BaseUser.select(BaseUser.id).where(BaseUser.username == username).run())[0]["id"]


def _request(client, method: str, url: str, data: dict | None = None):
    if method == "get":
        return client.get(url, follow_redirects=False)
    return form(client, url, data)


@pytest.fixture
def branches(db):
    run(Branch.insert(Branch(code="B1", name="One"), Branch(code="B2", name="Two")).run())


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
@pytest.mark.parametrize("role", OTHERS)
def test_admin_users_other_roles_are_forbidden(client, people, role, method, url):
    login(client, people[role])
    response = _request(client, method, url.format(id=_id("sam")))
    assert response.status_code == 403


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_admin_users_anonymous_goes_to_login(client, people, method, url):
    response = _request(client, method, url.format(id=_id("sam")))
    assert response.status_code == 302 and response.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_admin_users_admin_is_let_in(client, people, method, url):
    login(client, "root")
    response = _request(client, method, url.format(id=_id("sam")))
    assert response.status_code in (200, 302, 422)


def test_admin_creates_manager_who_can_log_in_and_sees_branches(client, people, branches):
    login(client, "root")
    data = {
        "username": "nia",
        "password": "long-enough",
        "role": "manager",
        "language": "el",
        "branches": ["B1", "B2"],
    }
    response = form(client, "/admin/users/new", data)
    assert response.status_code == 302
    page = client.get(response.headers["location"])
    assert "nia" in page.text and 'value="B2" checked' in page.text
    listing = client.get("/admin/users").text
    assert "nia" in listing and "manager" in listing
    client.cookies.clear()
    assert login(client, "nia", "long-enough").status_code == 302


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"username": "sam"}, "username", "already exists"),
        ({"password": "short"}, "password", "at least 8"),
        ({"username": "two words"}, "username", "without spaces"),
        ({"branches": "B9", "role": "manager"}, "branches", "No branch with code B9"),
        ({"language": "de"}, "language", "use one of"),
    ],
)
def test_admin_create_user_bad_input_shows_error_on_the_field(
    client, people, branches, change, field, message
):
    login(client, "root")
    data = {"username": "nia", "password": "long-enough", "role": "shopper", **change}
    response = form(client, "/admin/users/new", data)
    assert response.status_code == 422
    assert f'id="error-{field}"' in response.text and message in response.text
    assert not run(BaseUser.exists().where(BaseUser.username == "nia").run())


def test_admin_changes_role_and_branches(client, people, branches):
    login(client, "root")
    url = f"/admin/users/{_id('sam')}"
    response = form(client, url, {"role": "manager", "branches": "B2", "language": ""})
    assert response.status_code == 302
    page = client.get(url).text
    assert 'value="manager" selected' in page and 'value="B2" checked' in page
    form(client, url, {"role": "office", "branches": "B2"})
    assert 'value="B2" checked' not in client.get(url).text  # branches are for managers


def test_admin_cannot_take_away_own_admin_role(client, people):
    login(client, "root")
    response = form(client, f"/admin/users/{_id('root')}", {"role": "office"})
    assert response.status_code == 422 and "your own admin role" in response.text


def test_admin_deactivates_user_who_can_no_longer_log_in_then_reactivates(client, people):
    login(client, "sam")
    login(client, "root")
    url = f"/admin/users/{_id('sam')}/active"
    assert form(client, url).status_code == 302
    client.cookies.clear()
    assert login(client, "sam").status_code == 401
    login(client, "root")
    assert form(client, url, {"active": "1"}).status_code == 302
    client.cookies.clear()
    assert login(client, "sam").status_code == 302


def test_admin_cannot_deactivate_self(client, people):
    login(client, "root")
    form(client, f"/admin/users/{_id('root')}/active")
    assert "You cannot deactivate yourself." in client.get(f"/admin/users/{_id('root')}").text
    assert client.get("/admin/users").status_code == 200


def test_admin_resets_password(client, people):
    login(client, "root")
    assert form(client, f"/admin/users/{_id('sam')}/password", {"new_password": "reset-123"})
    client.cookies.clear()
    assert login(client, "sam", PASSWORD).status_code == 401
    assert login(client, "sam", "reset-123").status_code == 302


def test_admin_reset_to_short_password_is_refused(client, people):
    login(client, "root")
    form(client, f"/admin/users/{_id('sam')}/password", {"new_password": "short"})
    assert "Use at least 8 characters." in client.get(f"/admin/users/{_id('sam')}").text
    client.cookies.clear()
    assert login(client, "sam", PASSWORD).status_code == 302


def test_admin_unknown_user_is_404(client, people):
    login(client, "root")
    assert client.get("/admin/users/99999").status_code == 404


def test_nav_shows_admin_links_to_admin_only(client, people):
    login(client, "ada")
    assert "/admin/users" not in client.get("/checklists").text
    client.cookies.clear()
    login(client, "root")
    assert "/admin/users" in client.get("/checklists").text
