"""Branch and head-office reports: page, PDF and CSV, access per role, numbers that agree."""

import datetime as dt
import re

import pytest

from audits.tables import OrgSettings

from ..conftest import run
from .audit_fixtures import audit_body
from .report_helpers import ROLES, as_user, pdf_pages, pdf_text, publish

LOGIN = "login"
BRANCH = {"anonymous": LOGIN, "shopper": 403, "manager": 200, "office": 200, "admin": 200}
HEADOFFICE = {"anonymous": LOGIN, "shopper": 403, "manager": 403, "office": 200, "admin": 200}
KINDS = ["", "/pdf", "/csv/visits"]


def _status(client, url: str) -> int | str:
    response = client.get(url, follow_redirects=False)
    if response.status_code in (302, 303) and "/login" in response.headers["location"]:
        return LOGIN
    return response.status_code


def _history(client, doc, n: int = 12) -> list[dict]:
    """n published audits over B1 and B2, two shoppers, morning and evening, some failures."""
    filed = []
    start = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    for i in range(n):
        body = audit_body(
            doc,
            branch="B1" if i % 2 else "B2",
            staff="B1-S1" if i % 2 else "B2-S1",
            visited_at=(start + dt.timedelta(days=3 * i, hours=8 * (i % 3 == 0))).isoformat(),
        )
        if i % 3 == 0:
            body["answers"]["queue_wait_minutes"] = 9
        if i % 4 == 0:
            body["answers"]["greeted_verbally"] = False
        as_user(client, "sam" if i % 3 else "sue")
        response = client.post("/api/audits", json=body)
        assert response.status_code == 201, response.text
        publish(body["id"])
        filed.append({**body, **response.json()})
    client.cookies.clear()
    return filed


@pytest.fixture
def history(client, org):
    return _history(client, org)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", ROLES)
def test_branch_report_access_per_role(client, history, role, kind):
    as_user(client, ROLES[role])
    assert _status(client, f"/reports/branches/B1{kind}") == BRANCH[role]


@pytest.mark.parametrize("kind", KINDS)
def test_manager_cannot_read_another_branchs_report(client, history, kind):
    as_user(client, "max")  # manages B1 only
    assert client.get(f"/reports/branches/B2{kind}").status_code == 403


@pytest.mark.parametrize("kind", ["", "/pdf", "/csv/league"])
@pytest.mark.parametrize("role", ROLES)
def test_headoffice_report_access_per_role(client, history, role, kind):
    as_user(client, ROLES[role])
    assert _status(client, f"/reports/headoffice{kind}") == HEADOFFICE[role]


def test_branch_page_shows_its_visits_figures_and_downloads(client, history):
    as_user(client, "max")
    page = client.get("/reports/branches/B1").text
    mine = [a for a in history if a["branch"] == "B1"]
    for audit in mine:
        assert f"/reports/visits/{audit['id']}" in page  # a visit links to its report
    assert page.count('class="plot"') == 5  # trend, sections, shift×weekday, staff, items
    assert "/reports/branches/B1/pdf" in page and "/reports/branches/B1/csv/items" in page
    assert not re.search(r"\b(sam|sue)\b", page)  # never who the shopper was


def test_branch_csv_has_every_visit_with_its_score(client, history):
    as_user(client, "ada")
    lines = client.get("/reports/branches/B1/csv/visits").text.strip().splitlines()
    assert lines[0].split(",")[0] == "audit"
    scores = {line.split(",")[0]: float(line.split(",")[-1]) for line in lines[1:]}
    expected = {a["id"]: a["score"] for a in history if a["branch"] == "B1"}
    assert scores == pytest.approx(expected)


def test_branch_report_period_filter_keeps_only_its_visits(client, history):
    as_user(client, "ada")
    lines = client.get("/reports/branches/B1/csv/visits?from=2026-03-01&to=2026-03-10").text
    inside = [a for a in history if a["branch"] == "B1" and a["visited_at"][:10] <= "2026-03-10"]
    assert len(lines.strip().splitlines()) == 1 + len(inside)


def test_period_filters_cut_on_the_branch_s_own_date(client, org):
    """22:30 UTC on 31 March is 01:30 on 1 April in Athens (B1): an April visit to its manager,
    in the report pages as in `evenly analyse`."""
    body = audit_body(org, branch="B1", staff="B1-S1", visited_at="2026-03-31T22:30:00+00:00")
    as_user(client, "sam")
    assert client.post("/api/audits", json=body).status_code == 201
    publish(body["id"])
    as_user(client, "ada")

    def visits(query: str) -> str:
        return client.get(f"/reports/branches/B1/csv/visits?{query}").text

    assert body["id"] in visits("from=2026-04-01&to=2026-04-01")
    assert body["id"] not in visits("from=2026-03-01&to=2026-03-31")


def test_page_pdf_and_csv_share_one_analysis_and_a_new_audit_shows_at_once(client, org, history):
    analyses = client.app.state.analyses
    as_user(client, "ada")
    before = analyses.misses
    for url in ("/reports/headoffice", "/reports/headoffice/csv/league", "/reports/headoffice/pdf"):
        assert client.get(url).status_code == 200
    assert analyses.misses - before == 1 and analyses.hits >= 2
    visits = _league_visits(client, "B1")

    body = audit_body(org, branch="B1", staff="B1-S1", visited_at="2026-05-04T09:30:00+00:00")
    as_user(client, "sam")
    assert client.post("/api/audits", json=body).status_code == 201
    publish(body["id"])
    as_user(client, "ada")
    assert _league_visits(client, "B1") == visits + 1


def _league_visits(client, branch: str) -> int:
    """The visits column of the league CSV (rank, branch, n, ...) for ``branch``."""
    lines = client.get("/reports/headoffice/csv/league").text.splitlines()
    return next(int(line.split(",")[2]) for line in lines[1:] if line.split(",")[1] == branch)


def test_headoffice_tables_align_number_headings_and_name_channels_in_words(client, history):
    as_user(client, "ada")
    page = client.get("/reports/headoffice?lang=el").text
    channels = page[page.index('id="table-channels"') :]
    channels = channels[: channels.index("</table>")]
    assert "δια ζώσης" in channels and "in_person" not in channels
    heads = re.findall(r'<th scope="col" class="([^"]*)">([^<]*)</th>', channels)
    assert [css for css, _ in heads] == ["", "num", "num", "num"]  # group, visits, mean, SD


def test_branch_report_bad_date_is_a_clear_error(client, history):
    as_user(client, "ada")
    response = client.get("/reports/branches/B1?from=yesterday")
    assert response.status_code in (400, 422) and "from" in response.text


def test_unknown_branch_report_is_404(client, history):
    as_user(client, "ada")
    assert client.get("/reports/branches/NOPE").status_code == 404


def test_branch_staff_shows_codes_only_when_the_organisation_hides_names(client, history):
    as_user(client, "ada")
    run(OrgSettings.insert(OrgSettings(staff_codes_only=False)).run())
    assert "B1-S1 Anna" in client.get("/reports/branches/B1/csv/staff").text
    run(OrgSettings.update({OrgSettings.staff_codes_only: True}, force=True).run())
    staff = client.get("/reports/branches/B1/csv/staff").text
    assert "B1-S1" in staff and "Anna" not in staff


def test_branch_pdf_has_every_chart_and_the_pages_numbers(client, history):
    as_user(client, "ada")
    response = client.get("/reports/branches/B1/pdf")
    assert response.headers["content-type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    page = client.get("/reports/branches/B1/csv/overview").text
    assert "Branch report" in text and "What stands out" in text and "at Branch B1 (B1)" in text
    # the page's plain words, the method in its note (issue 17)
    assert "the score adjusted for which shopper visited" in text and "rank " in text
    assert "How this is computed" in text and "shrunken" not in text and "q =" not in text
    mean = next(line for line in page.splitlines() if line.startswith("Mean score"))
    assert f"{float(mean.split(',')[1]):.1f}" in text  # the page's number is the PDF's
    for title in (
        "Score per visit and its usual range",
        "Sections against the organisation",
        "Mean score by shift and weekday",
        "Staff consistency",
        "Items passed least often",
    ):
        assert title in text
    assert pdf_pages(response.content) >= 4


def test_headoffice_page_links_branches_and_filters(client, history):
    as_user(client, "ada")
    page = client.get("/reports/headoffice").text
    assert "/reports/branches/B1" in page and "/reports/branches/B2" in page
    assert page.count('class="plot"') >= 8
    assert 'name="region"' in page and 'name="channel"' in page and 'name="checklist"' in page
    league = client.get("/reports/headoffice/csv/league").text.strip().splitlines()
    assert league[0].startswith("rank,branch,n,mean,adjusted_mean,shrunken")
    assert {line.split(",")[1] for line in league[1:]} == {"B1", "B2"}
    only_b1_region = client.get("/reports/headoffice/csv/league?region=NOPE").status_code
    assert only_b1_region == 404  # no comparison, so no league table to download


def test_nav_links_each_role_to_its_reports(client, org):
    for user, present, absent in (
        ("ada", ["/reports/headoffice"], ["/reports/branches/"]),
        ("max", ["/reports/branches/B1"], ["/reports/headoffice", "/reports/branches/B2"]),
        ("sam", [], ["/reports/headoffice", "/reports/branches/"]),
    ):
        as_user(client, user)
        page = client.get("/checklists").text
        assert all(f'href="{link}"' in page for link in present)
        assert not any(f'href="{link}' in page for link in absent)


def test_follow_up_figures_on_the_reports_match_the_stored_actions(client, history, org):
    """Audits approved through review open actions; both reports count them as stored."""
    from audits.tables import CorrectiveAction

    for wait in (12, 15):  # two failing visits at B1, approved by head office
        body = audit_body(org, branch="B1", staff="B1-S1")
        body["answers"]["queue_wait_minutes"] = wait
        as_user(client, "sam")
        assert client.post("/api/audits", json=body).status_code == 201
        as_user(client, "ada")
        assert client.post(f"/api/audits/{body['id']}/approve").status_code == 200
    stored = run(CorrectiveAction.select(CorrectiveAction.branch.code.as_alias("b")).run())
    at_b1 = sum(r["b"] == "B1" for r in stored)
    assert at_b1 >= 2
    as_user(client, "max")  # B1's manager
    page = client.get("/reports/branches/B1").text
    assert "Follow-up per item" in page and f"{at_b1} corrective actions" in page
    csv_text = client.get("/reports/branches/B1/csv/recovery").text
    assert "queue_wait_minutes" in csv_text
    as_user(client, "ada")
    office = client.get("/reports/headoffice").text
    assert "Follow-up per branch" in office and f"{len(stored)} corrective actions" in office
