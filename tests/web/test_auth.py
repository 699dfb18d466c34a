"""Logging in and out, and what an anonymous visitor gets."""

from web.settings import Settings

from .conftest import csrf, form, login


def test_health_anonymous_answers_ok(client):
    response = client.get("/health")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_page_anonymous_redirects_to_login_with_next(client):
    response = client.get("/checklists", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == "/login?next=/checklists"


def test_api_anonymous_gets_401_json(client):
    response = client.get("/api/checklists")
    assert response.status_code == 401
    assert response.json()["detail"] == "Log in first."


def test_login_right_password_redirects_to_next(client, people):
    response = client.post(
        "/login",
        data={
            "username": "ada",
            "password": "correct-horse",
            "next": "/checklists",
            "_csrf_token": csrf(client),
        },
        follow_redirects=False,
    )
    assert response.status_code == 302 and response.headers["location"] == "/checklists"
    assert client.get("/checklists").status_code == 200


def test_login_wrong_password_shows_error_and_keeps_username(client, people):
    response = login(client, "ada", "wrong-password")
    assert response.status_code == 401
    assert "Wrong username or password." in response.text
    assert 'value="ada"' in response.text


def test_login_offsite_next_stays_on_site(client, people):
    response = client.post(
        "/login",
        data={
            "username": "ada",
            "password": "correct-horse",
            "next": "//evil.example/x",
            "_csrf_token": csrf(client),
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_login_without_csrf_token_is_refused(client, people):
    response = client.post("/login", data={"username": "ada", "password": "correct-horse"})
    assert response.status_code == 403


def test_logout_ends_the_session(client, people):
    login(client, "ada")
    assert form(client, "/logout").status_code == 302
    assert client.get("/api/checklists").status_code == 401


def test_login_many_attempts_are_rate_limited(db, people):
    from litestar.testing import TestClient

    from web.app import create_app

    settings = Settings(database_url=db, secret_key="k", db_pool=False, login_rate=3)
    with TestClient(create_app(settings)) as limited:
        statuses = [login(limited, "ada", "nope").status_code for _ in range(5)]
    assert statuses[:3] == [401, 401, 401]
    assert statuses[3:] == [429, 429]


def test_schema_page_loads_no_script_from_outside(client):
    page = client.get("/schema")
    assert page.status_code == 200
    assert "/static/vendor/redoc.standalone.js" in page.text
    assert "https://" not in page.text.replace("https://github.com", "")
    assert client.get("/static/vendor/redoc.standalone.js").status_code == 200


def test_openapi_documents_the_checklist_api(client):
    spec = client.get("/schema/openapi.json").json()
    assert "/api/checklists/{slug}/versions/{number}" in spec["paths"]
    assert "put" in spec["paths"]["/api/checklists/{slug}/versions/{number}"]
