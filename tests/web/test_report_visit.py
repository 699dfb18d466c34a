"""The visit report: page, PDF and CSV from one report model, scoped to who may read it."""

import pytest

from .report_helpers import ROLES, as_user, file_audit, pdf_pages, pdf_text, png_bytes, publish

LOGIN = "login"
# sam filed the audit of B1; max manages B1, mia B2; sue is another shopper.
PUBLISHED = {"anonymous": LOGIN, "shopper": 200, "manager": 200, "office": 200, "admin": 200}
SUBMITTED = {**PUBLISHED, "manager": 404}
KINDS = ["", "/pdf", "/csv/sections"]


def _status(client, url: str) -> int | str:
    response = client.get(url, follow_redirects=False)
    if response.status_code in (302, 303) and "/login" in response.headers["location"]:
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", ROLES)
def test_visit_report_access_per_role(client, org, role, kind):
    published, submitted = file_audit(client, org), file_audit(client, org)
    publish(published)
    as_user(client, ROLES[role])
    assert _status(client, f"/reports/visits/{published}{kind}") == PUBLISHED[role]
    assert _status(client, f"/reports/visits/{submitted}{kind}") == SUBMITTED[role]


@pytest.mark.parametrize("user", ["sue", "mia"])
def test_visit_report_of_someone_elses_audit_is_404(client, org, user):
    audit = file_audit(client, org)
    publish(audit)
    as_user(client, user)
    for kind in KINDS:
        assert client.get(f"/reports/visits/{audit}{kind}").status_code == 404


def _failing_audit(client, org) -> tuple[str, bytes]:
    as_user(client, "sam")
    photo_png = png_bytes()
    photo = client.post("/api/evidence", files={"file": ("p.png", photo_png, "image/png")})
    from .audit_fixtures import audit_body

    body = audit_body(org)
    body["answers"].update(premises_photo=photo.json()["id"], queue_wait_minutes=9)
    body["answers"]["treated_with_respect"] = False  # critical
    body["comments"] = {
        "queue_wait_minutes": "Only one desk open.",
        "treated_with_respect": "Rolled eyes at my question.",  # on_fail: comment required
    }
    response = client.post("/api/audits", json=body)
    assert response.status_code == 201, response.text
    publish(body["id"])
    return body["id"], response.json()


def test_visit_report_page_shows_scores_answers_comments_photo_and_failures(client, org):
    audit_id, filed = _failing_audit(client, org)
    as_user(client, "max")
    page = client.get(f"/reports/visits/{audit_id}").text
    assert f"{filed['score']:.1f}" in page
    assert "Only one desk open." in page and "/api/evidence/" in page
    assert 'class="critical"' in page and 'class="failed"' in page
    assert "sam" not in page  # a branch manager never learns who the shopper was
    assert f"/reports/visits/{audit_id}/pdf" in page


def test_visit_report_pdf_has_the_audits_numbers_and_the_photo(client, org):
    audit_id, filed = _failing_audit(client, org)
    as_user(client, "max")
    response = client.get(f"/reports/visits/{audit_id}/pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    assert "Visit report" in text and "Contents" not in text  # one audit: no contents page
    assert f"{filed['score']:.1f}" in text and "Only one desk open." in text
    assert "sam" not in text
    assert "Were you treated" in text and "critical" in text and "Failed" in text
    pages = pdf_pages(response.content)
    assert 1 <= pages <= 2  # the heading opens the first page; no cover, no contents
    assert f"Page 1 of {pages}" in text  # page numbers from the first page


def test_visit_report_csv_matches_the_section_scores(client, org):
    audit_id, filed = _failing_audit(client, org)
    as_user(client, "ada")
    response = client.get(f"/reports/visits/{audit_id}/csv/sections")
    assert response.headers["content-type"].startswith("text/csv")
    lines = response.text.strip().splitlines()
    assert lines[0] == "Section,Score"  # the columns as the page shows them
    assert lines[-1].startswith("total,Total,") and float(
        lines[-1].split(",")[-1]
    ) == pytest.approx(filed["score"])
    assert client.get(f"/reports/visits/{audit_id}/csv/nope").status_code == 404
