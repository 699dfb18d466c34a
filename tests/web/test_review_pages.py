"""Review pages: head office's queue and audit page, managers' branch audits without the
shopper, shoppers' own audits with head office's comment."""

import pytest

from audits.fieldwork.rules import FLAG_TEXT
from audits.org.users import create_user
from audits.tables import Audit, Role
from web.i18n import gettext_for

from ..conftest import run
from .audit_fixtures import audit_body
from .conftest import PASSWORD, form, login
from .photo_files import image_bytes

PNG = image_bytes("PNG")
ROLES = {"anonymous": None, "shopper": "sam", "manager": "max", "office": "ada", "admin": "root"}
LOGIN = "login"  # redirected to the login page
OFFICE = {"anonymous": LOGIN, "shopper": 403, "manager": 403, "office": 200, "admin": 200}
OFFICE_POST = {**OFFICE, "office": "/review", "admin": "/review"}
BRANCH = {"anonymous": LOGIN, "shopper": 403, "manager": 200, "office": 200, "admin": 200}
MINE = {"anonymous": LOGIN, "shopper": 200, "manager": "/branch-audits", "office": "/review"}
ONE_OF_MINE = {  # an admin files audits too, and reads other people's on the review page
    "anonymous": LOGIN,
    "shopper": 200,
    "manager": "/branch-audits/{published}",
    "office": "/review/{published}",
    "admin": "/review/{published}",
}
MOVED = {**dict.fromkeys(ROLES, "/audits"), "anonymous": LOGIN}
PAGES = [
    ("GET", "/review", OFFICE),
    ("GET", "/review?flag=short_visit&branch=B1", OFFICE),
    ("GET", "/review/{submitted}", OFFICE),
    ("POST", "/review/{submitted}/approve", OFFICE_POST),
    ("POST", "/review/{submitted}/return", OFFICE_POST),
    ("GET", "/branch-audits", BRANCH),
    ("GET", "/branch-audits/{published}", BRANCH),
    ("GET", "/audits", {**MINE, "admin": 200}),
    ("GET", "/audits/{published}", ONE_OF_MINE),
    ("GET", "/my-audits", MOVED),  # the old address of the shopper's audits
    (
        "GET",
        "/my-audits/{published}",
        {**dict.fromkeys(ROLES, "/audits/{published}"), "anonymous": LOGIN},
    ),
]


def _as(client, user: str | None) -> None:
    client.cookies.clear()
    if user:
        login(client, user)


def _file(client, doc, user="sam", **overrides) -> str:
    _as(client, user)
    response = client.post("/api/audits", json=audit_body(doc, **overrides))
    assert response.status_code == 201, response.text
    client.cookies.clear()
    return response.json()["id"]


def _publish(audit_id: str) -> None:
    run(Audit.update({Audit.status: "published"}).where(Audit.id == audit_id).run())


def _status(audit_id: str) -> str:
    return run(Audit.select(Audit.status).where(Audit.id == audit_id).first().run())["status"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method, url, expected", PAGES, ids=[f"{p[0]} {p[1]}" for p in PAGES])
def test_review_page_access_for_every_role(client, org, role, method, url, expected):
    ids = {"submitted": _file(client, org), "published": _file(client, org)}
    _publish(ids["published"])
    _as(client, ROLES[role])
    if method == "POST":
        response = form(client, url.format(**ids), {"comment": "Fix the wait."})
    else:
        response = client.get(url.format(**ids), follow_redirects=False)
    want = expected[role]
    if want == LOGIN:
        assert response.status_code in (302, 303)
        assert response.headers["location"].startswith("/login")
    elif isinstance(want, str):
        assert response.status_code in (301, 302, 303)
        assert response.headers["location"] == want.format(**ids)
    else:
        assert response.status_code == want
    if method == "POST" and not isinstance(want, str):
        assert _status(ids["submitted"]) == "submitted"


def test_other_branch_and_other_shopper_audits_are_404(client, org):
    b1 = _file(client, org)
    _publish(b1)
    for user, url in (("mia", f"/branch-audits/{b1}"), ("sue", f"/audits/{b1}")):
        _as(client, user)
        assert client.get(url).status_code == 404
    _as(client, "mia")
    assert b1 not in client.get("/branch-audits").text


def test_submitted_audit_is_not_on_the_branch_pages(client, org):
    audit_id = _file(client, org)
    _as(client, "ada")  # even head office: the branch pages show what the branch sees
    assert client.get(f"/branch-audits/{audit_id}").status_code == 404
    _as(client, "max")
    assert audit_id not in client.get("/branch-audits").text


def test_approve_publishes_and_the_manager_never_sees_the_shopper(client, org):
    run(create_user("quentin", PASSWORD, Role.shopper))
    audit_id = _file(client, org, user="quentin", visit_minutes=1)
    _as(client, "ada")
    queue = client.get("/review").text
    assert "quentin" in queue and FLAG_TEXT["short_visit"] in queue
    response = form(client, f"/review/{audit_id}/approve", {"comment": "Thanks, quentin."})
    assert response.headers["location"] == "/review"
    assert "published to its branch. Corrective actions opened: 0." in client.get("/review").text
    assert _status(audit_id) == "published"
    _as(client, "max")
    assert f"/branch-audits/{audit_id}" in client.get("/branch-audits").text
    page = client.get(f"/branch-audits/{audit_id}")
    assert page.status_code == 200
    assert "How many minutes did you wait" in page.text  # the item's text, not its key
    assert "quentin" not in page.text.lower()
    assert FLAG_TEXT["short_visit"] not in page.text and "Trail" not in page.text


def test_approve_says_how_many_corrective_actions_it_opened(client, org):
    failing = {"entrance_clean_tidy": False, "greeted_verbally": False}
    audit_id = _file(client, org, answers={**audit_body(org)["answers"], **failing})
    _as(client, "ada")
    form(client, f"/review/{audit_id}/approve")
    assert "Corrective actions opened: 2." in client.get("/review").text


def test_return_shows_the_shopper_the_comment_and_the_way_to_fix_it(client, org):
    audit_id = _file(client, org)
    _as(client, "ada")
    response = form(client, f"/review/{audit_id}/return", {"comment": "Add the queue photo."})
    assert response.headers["location"] == "/review"
    assert "Returned to the shopper" in client.get("/review").text
    _as(client, "sam")
    page = client.get(f"/audits/{audit_id}").text
    assert "Add the queue photo." in page and f'href="/audits/{audit_id}/edit"' in page
    assert f'href="/audits/{audit_id}/edit"' in client.get("/audits").text


def test_return_without_comment_shows_the_error_and_changes_nothing(client, org):
    audit_id = _file(client, org)
    _as(client, "ada")
    response = form(client, f"/review/{audit_id}/return", {"comment": ""})
    assert response.status_code == 422 and "Say what the shopper should fix." in response.text
    assert _status(audit_id) == "submitted"


def test_reviewing_twice_flashes_the_conflict_and_keeps_the_first_decision(client, org):
    audit_id = _file(client, org)
    _as(client, "ada")
    form(client, f"/review/{audit_id}/approve")
    again = form(client, f"/review/{audit_id}/return", {"comment": "Too late."})
    assert again.headers["location"] == f"/review/{audit_id}"
    page = client.get(f"/review/{audit_id}").text
    assert "only a submitted audit can be returned" in page and "Approve and publish" not in page
    assert _status(audit_id) == "published"


def test_office_audit_page_shows_answers_photos_flags_and_trail(client, org):
    _as(client, "sam")
    photo = client.post("/api/evidence", files={"file": ("p.png", PNG, "image/png")}).json()["id"]
    body = audit_body(org, visit_minutes=1)
    body["answers"].update(premises_photo=photo, queue_wait_minutes=9)
    body["comments"] = {"queue_wait_minutes": "Only one desk open."}
    assert client.post("/api/audits", json=body).status_code == 201
    _as(client, "ada")
    page = client.get(f"/review/{body['id']}?lang=el").text
    assert "Πόσα λεπτά περιμένατε" in page  # the item in the reader's language
    assert f'src="/api/evidence/{photo}"' in page and "Only one desk open." in page
    _ = gettext_for("el")
    assert _(FLAG_TEXT["short_visit"]) in page and "Αποτυχημένα σημεία" in page
    assert "sam" in page and _("submitted") in page  # the shopper and the trail's first entry
    assert client.get(f"/api/evidence/{photo}").status_code == 200


def test_office_audit_page_trail_shows_a_resubmission_old_to_new(client, org):
    body = audit_body(org)
    _as(client, "sam")
    client.post("/api/audits", json=body)
    _as(client, "ada")
    form(client, f"/review/{body['id']}/return", {"comment": "Check the wait."})
    _as(client, "sam")
    body["answers"]["queue_wait_minutes"] = 9
    assert client.post("/api/audits", json=body).status_code == 200
    _as(client, "ada")
    page = client.get(f"/review/{body['id']}").text
    assert "answers.queue_wait_minutes" in page and "Check the wait." in page
    assert '<span class="new">9</span>' in page


def test_queue_filters_by_flag_and_branch(client, org):
    plain = _file(client, org)
    short = _file(client, org, user="sue", visit_minutes=1)
    b2 = _file(client, org, branch="B2", staff=None, visited_at="2026-03-10T18:30:00+01:00")
    _as(client, "ada")
    everything = client.get("/review").text  # the flagged one first, the rest oldest first
    assert everything.index(short) < everything.index(plain) < everything.index(b2)
    flagged = client.get("/review?flag=short_visit").text
    assert short in flagged and plain not in flagged and b2 not in flagged
    in_b2 = client.get("/review?branch=B2").text
    assert b2 in in_b2 and plain not in in_b2


def test_flags_are_not_shown_to_the_shopper(client, org):
    audit_id = _file(client, org, visit_minutes=1)
    _as(client, "sam")
    assert FLAG_TEXT["short_visit"] not in client.get(f"/audits/{audit_id}").text


def test_nav_links_by_role(client, org):
    for user, link, absent in (
        ("ada", "/review", "/branch-audits"),
        ("max", "/branch-audits", "/review"),
    ):
        _as(client, user)
        home = client.get("/checklists").text
        assert f'href="{link}"' in home and f'href="{absent}"' not in home


def test_queue_shows_the_visit_on_the_branchs_clock(client, org):
    _file(client, org, visited_at="2026-03-10T16:30:00Z")  # 18:30 in Athens (B1)
    _as(client, "ada")
    page = client.get("/review").text
    assert 'datetime="2026-03-10T18:30+02:00">Mar 10, 2026, 6:30' in page
    assert "</time> (Athens)" in page  # the zone by its city, in the reader's language
    entry = client.get("/api/review/queue").json()[0]
    assert entry["timezone"] == "Europe/Athens" and entry["visited_at"].endswith("+02:00")


def test_queue_shows_risk_and_why_and_a_flag_set_aside_keeps_its_reason(client, org):
    audit_id = _file(client, org, visit_minutes=1)  # flagged: implausibly short
    _as(client, "ada")
    queue = client.get("/review").text
    assert "risk" in queue and "Why:" in queue and FLAG_TEXT["short_visit"] in queue
    url = f"/review/{audit_id}/flags/dismiss"
    refused = form(client, url, {"flag": "short_visit", "reason": "  "})
    assert refused.status_code == 422 and "Say why this flag is not a problem." in refused.text
    done = form(
        client, url, {"flag": "short_visit", "reason": "Timer was off; receipt says 14 min."}
    )
    assert done.status_code == 302 and done.headers["location"] == f"/review/{audit_id}"
    page = client.get(f"/review/{audit_id}").text
    assert "Timer was off; receipt says 14 min." in page and "set aside" in page
    _as(client, "max")  # the reason can name the shopper's habits: never the manager's
    assert client.get(f"/branch-audits/{audit_id}").status_code == 404


def test_queue_and_branch_list_name_the_checklist_by_its_title_in_the_reader_s_language(
    client, org
):
    audit = _file(client, org)
    _as(client, "ada")
    english = client.get("/review").text
    assert "B1 · Service fundamentals" in english and "· service-fundamentals" not in english
    greek = client.get("/review?lang=el").text
    assert "Βασικές αρχές εξυπηρέτησης" in greek and "· service-fundamentals" not in greek
    form(client, f"/review/{audit}/approve")
    published = client.get("/branch-audits/?lang=pl").text
    assert "Podstawy obsługi klienta" in published and "service-fundamentals</" not in published
