"""API tokens: the Authorization header on /api, revocation, the tokens page."""

import pytest

from audits.org.tokens import create_token, hash_token
from audits.tables import ApiToken, BaseUser

from ..conftest import run
from .conftest import form, login

ROLES = ["shopper", "manager", "office", "admin"]


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _token_id(token: str) -> int:
    query = ApiToken.select(ApiToken.id).where(ApiToken.token_hash == hash_token(token))
    return run(query.run())[0]["id"]


def test_token_header_reads_api_without_session(client, people):
    token = run(create_token("sam", "script"))
    response = client.get("/api/checklists", headers=_bearer(token))
    assert response.status_code == 200
    stored = run(ApiToken.select().where(ApiToken.token_hash == hash_token(token)).run())[0]
    assert stored["name"] == "script" and stored["last_used_at"] is not None
    assert token not in str(stored)  # only the hash is kept


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Bearer ", "bearer x"])
def test_token_unknown_gets_401_on_api(client, people, header):
    response = client.get("/api/checklists", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid or revoked token."


def test_token_revoked_stops_working(client, people):
    token = run(create_token("sam"))
    assert client.get("/api/checklists", headers=_bearer(token)).status_code == 200
    login(client, "sam")
    assert form(client, f"/account/tokens/{_token_id(token)}/revoke").status_code == 302
    client.cookies.clear()
    assert client.get("/api/checklists", headers=_bearer(token)).status_code == 401


def test_token_of_deactivated_user_stops_working(client, people):
    token = run(create_token("sam"))
    run(BaseUser.update({BaseUser.active: False}).where(BaseUser.username == "sam").run())
    assert client.get("/api/checklists", headers=_bearer(token)).status_code == 401


def test_token_post_to_api_needs_no_csrf(client, people, fundamentals):
    token = run(create_token("ada"))
    response = client.post(
        "/api/checklists/service-fundamentals/versions/latest/score",
        json={"answers": {}},
        headers=_bearer(token),
    )
    assert response.status_code in (200, 422)  # scored or refused on its answers, not on CSRF
    anonymous = client.post(
        "/api/checklists/service-fundamentals/versions/latest/score", json={"answers": {}}
    )
    assert anonymous.status_code == 401


def test_tokens_page_creates_a_token_shown_once_that_works(client, people):
    login(client, "max")
    response = form(client, "/account/tokens", {"name": "reporting"})
    assert response.status_code == 201
    token = response.text.split('<code class="token" dir="ltr">')[1].split("<")[0]
    again = client.get("/account/tokens")
    assert "reporting" in again.text and token not in again.text
    client.cookies.clear()
    assert client.get("/api/checklists", headers=_bearer(token)).status_code == 200


def test_token_revoke_of_someone_elses_is_not_found(client, people):
    token = run(create_token("ada"))
    login(client, "sam")
    assert form(client, f"/account/tokens/{_token_id(token)}/revoke").status_code == 404
    assert client.get("/api/checklists", headers=_bearer(token)).status_code == 200


def test_token_admin_revokes_anyones_and_returns_to_user_page(client, people):
    token = run(create_token("ada"))
    login(client, "root")
    response = form(client, f"/account/tokens/{_token_id(token)}/revoke", {"next": "/admin/users"})
    assert response.status_code == 302 and response.headers["location"] == "/admin/users"
    client.cookies.clear()
    assert client.get("/api/checklists", headers=_bearer(token)).status_code == 401


@pytest.mark.parametrize("role", [*ROLES, None])
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/account/tokens"),
        ("post", "/account/tokens"),
        ("post", "/account/tokens/{own}/revoke"),
    ],
)
def test_token_pages_access_by_role(client, people, role, method, url):
    own = _token_id(run(create_token(people.get(role, "sam"))))
    if role:
        login(client, people[role])
    url = url.format(own=own)
    response = client.get(url, follow_redirects=False) if method == "get" else form(client, url)
    if role is None:
        assert response.status_code == 302
        assert response.headers["location"].startswith("/login?next=")
    else:
        assert response.status_code in (200, 201, 302)
