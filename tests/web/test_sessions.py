"""Sessions that can be ended: a cookie copied before a logout, a password change or a
deactivation stops working, in every app process; nobody else is logged out."""

from __future__ import annotations

from litestar.testing import TestClient

from audits.tables import BaseUser
from web.app import create_app

from ..conftest import run
from .conftest import PASSWORD, form, login

ACCOUNT = "/account/password"  # any logged-in user reads it; anonymous visitors go to log in
NEW = "a-new-passphrase"


def _copy(client: TestClient) -> dict[str, str]:
    """The browser's cookies, as someone who captured them would replay them."""
    return dict(client.cookies)


def _use(client: TestClient, cookies: dict[str, str]) -> TestClient:
    client.cookies.clear()
    for name, value in cookies.items():  # as the server set them, so its answers replace them
        client.cookies.set(name, value, domain=client.base_url.host)
    return client


def _logged_in(client: TestClient, cookies: dict[str, str]) -> bool:
    response = _use(client, cookies).get(ACCOUNT, follow_redirects=False)
    assert response.status_code in (200, 302), response.text
    return response.status_code == 200


def _session(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    client.cookies.clear()
    assert login(client, username, password).status_code == 302
    return _copy(client)


def _id(username: str) -> int:
    return run(BaseUser.select(BaseUser.id).where(BaseUser.username == username).run())[0]["id"]


def test_session_cookie_captured_before_logout_is_refused_after(client, people):
    captured = _session(client, "sam")
    assert form(client, "/logout").status_code == 302
    assert not _logged_in(client, captured)
    api = _use(client, captured).get("/api/visits")
    assert api.status_code == 401


def test_logout_ends_only_that_session(client, people):
    phone, laptop = _session(client, "sam"), _session(client, "sam")
    manager = _session(client, "max")
    _use(client, phone)
    form(client, "/logout")
    assert not _logged_in(client, phone)
    assert _logged_in(client, laptop) and _logged_in(client, manager)


def test_password_change_ends_other_sessions_and_reissues_this_one(client, people):
    phone, laptop = _session(client, "sam"), _session(client, "sam")
    manager = _session(client, "max")
    _use(client, phone)
    data = {"current_password": PASSWORD, "new_password": NEW, "confirm_password": NEW}
    assert form(client, ACCOUNT, data).status_code == 302
    reissued = _copy(client)
    assert _logged_in(client, reissued)
    assert not _logged_in(client, laptop)
    assert not _logged_in(client, phone)  # the cookie from before the change, too
    assert _logged_in(client, manager)


def test_deactivated_user_session_stays_ended_after_reactivation(client, people):
    shopper, manager = _session(client, "sam"), _session(client, "max")
    _session(client, "root")
    url = f"/admin/users/{_id('sam')}/active"
    assert form(client, url).status_code == 302
    assert not _logged_in(client, shopper)
    _session(client, "root")
    assert form(client, url, {"active": "1"}).status_code == 302
    assert not _logged_in(client, shopper)
    assert _logged_in(client, manager)


def test_admin_password_reset_ends_the_users_sessions_not_the_admins(client, people):
    shopper = _session(client, "sam")
    admin = _session(client, "root")
    data = {"new_password": "reset-1234"}
    assert form(client, f"/admin/users/{_id('sam')}/password", data).status_code == 302
    assert not _logged_in(client, shopper)
    assert _logged_in(client, admin)


def test_admin_resetting_own_password_keeps_this_browser_only(client, people):
    laptop, phone = _session(client, "root"), _session(client, "root")
    data = {"new_password": "reset-1234"}
    assert form(client, f"/admin/users/{_id('root')}/password", data).status_code == 302
    assert _logged_in(client, _copy(client))
    assert not _logged_in(client, laptop) and not _logged_in(client, phone)


def test_login_in_a_logged_in_browser_ends_the_earlier_session(client, people):
    first = _session(client, "sam")
    _use(client, first)
    assert login(client, "max").status_code == 302
    assert not _logged_in(client, first)  # a session known before login is never continued


def test_logout_on_one_app_process_is_honoured_by_another(client, app_settings, people):
    captured = _session(client, "sam")
    with TestClient(create_app(app_settings)) as other:
        assert _logged_in(other, captured)
        _use(client, captured)
        assert form(client, "/logout").status_code == 302
        assert not _logged_in(other, captured)
