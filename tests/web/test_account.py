"""Changing one's own password."""

import pytest

from .conftest import PASSWORD, form, login

NEW = "a-new-passphrase"


def _change(client, current: str, new: str = NEW, confirm: str | None = None):
    data = {"current_password": current, "new_password": new, "confirm_password": confirm or new}
    return form(client, "/account/password", data)


def test_password_change_wrong_current_shows_error_on_the_field(client, people):
    login(client, "sam")
    response = _change(client, "not-my-password")
    assert response.status_code == 422
    assert 'id="error-current_password"' in response.text
    assert "The current password is wrong." in response.text
    client.cookies.clear()
    assert login(client, "sam", NEW).status_code == 401


def test_password_change_new_works_and_old_no_longer(client, people):
    login(client, "sam")
    response = _change(client, PASSWORD)
    assert response.status_code == 302
    client.cookies.clear()
    assert login(client, "sam", PASSWORD).status_code == 401
    assert login(client, "sam", NEW).status_code == 302


@pytest.mark.parametrize(
    ("new", "confirm", "field"),
    [("short", "short", "new_password"), (NEW, NEW + "x", "confirm_password")],
)
def test_password_change_bad_new_password_is_refused(client, people, new, confirm, field):
    login(client, "sam")
    response = _change(client, PASSWORD, new, confirm)
    assert response.status_code == 422 and f'id="error-{field}"' in response.text
    client.cookies.clear()
    assert login(client, "sam", PASSWORD).status_code == 302


@pytest.mark.parametrize("role", ["shopper", "manager", "office", "admin", None])
@pytest.mark.parametrize("method", ["get", "post"])
def test_password_page_access_by_role(client, people, role, method):
    if role:
        login(client, people[role])
    if method == "get":
        response = client.get("/account/password", follow_redirects=False)
    else:
        response = _change(client, "wrong")
    if role is None:
        assert response.status_code == 302
        assert response.headers["location"] == "/login?next=/account/password"
    else:
        assert response.status_code == (200 if method == "get" else 422)
