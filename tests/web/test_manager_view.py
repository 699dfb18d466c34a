"""What a manager reads of a visit, through the real app: the visit, to the day, without its
shopper; head office reads everything, the severity-adjusted chart included."""

from __future__ import annotations

import json
import re
import uuid
from html import unescape

from audits.tables import Audit

from ..conftest import run
from .audit_fixtures import audit_body
from .conftest import login
from .report_helpers import as_user, file_audit, publish

VISITED = "2026-03-10T23:47:00+02:00"  # 21:47 UTC, the next day would be wrong either way


def _published(client, doc, **overrides) -> str:
    audit_id = file_audit(client, doc, **{"visited_at": VISITED, "visit_minutes": 17, **overrides})
    publish(audit_id)
    return audit_id


def test_manager_reads_the_visit_to_the_day_without_shopper_or_timings(client, org):
    audit_id = _published(client, org)
    as_user(client, "max")
    audit = client.get(f"/api/audits/{audit_id}").json()
    assert audit["visited_at"].startswith("2026-03-10T00:00:00")
    hidden = ("auditor", "submitted_at", "visit_minutes", "visit", "flags", "review_comment")
    assert {k: audit.get(k) for k in hidden} == dict.fromkeys(hidden[:4]) | {
        "flags": [],
        "review_comment": "",
    }
    for url in (f"/reports/visits/{audit_id}", f"/branch-audits/{audit_id}"):
        page = client.get(url).text
        assert "23:47" not in page and "sam" not in page, url


def test_head_office_reads_the_visit_time_and_the_shopper(client, org):
    audit_id = _published(client, org)
    as_user(client, "ada")
    audit = client.get(f"/api/audits/{audit_id}").json()
    assert (audit["auditor"], audit["visit_minutes"]) == ("sam", 17)
    assert audit["submitted_at"] is not None
    page = client.get(f"/reports/visits/{audit_id}").text
    assert "11:47" in page and "sam" in page  # 23:47 in Athens, as an English reader writes it


def test_manager_list_orders_a_days_visits_by_id_not_by_time(client, org):
    ids = [
        _published(client, org, visited_at=f"2026-03-10T{hour}:00:00+02:00")
        for hour in ("09", "13", "19")
    ]
    _published(client, org, visited_at="2026-03-11T09:00:00+02:00")
    as_user(client, "max")
    listed = [a["id"] for a in client.get("/api/audits").json()]
    assert listed[1:] == sorted(ids, reverse=True)


def test_time_based_audit_id_is_422_and_writes_nothing(client, org):
    login(client, "sam")
    response = client.post("/api/audits", json=audit_body(org, id=str(uuid.uuid1())))
    assert response.status_code == 422
    assert [e["key"] for e in response.json()["errors"]] == ["id"]
    assert run(Audit.count().run()) == 0


def _trend_traces(page: str) -> list[dict]:
    figures = [json.loads(unescape(f)) for f in re.findall(r'data-figure="([^"]*)"', page)]
    return next(f["data"] for f in figures if "usual range" in f["layout"]["title"]["text"])


def test_manager_branch_trend_chart_and_visits_are_scores_as_given_by_date(client, org):
    scores = {}
    for i in range(6):
        answers = audit_body(org)["answers"] | {"greeted_verbally": i % 2 == 0}
        audit_id = _published(
            client,
            org,
            answers=answers,
            visited_at=f"2026-03-{10 + i}T{10 + 8 * (i % 2)}:00:00+02:00",
        )
        scores[audit_id] = run(Audit.select(Audit.score).where(Audit.id == audit_id).first().run())
    as_user(client, "max")
    manager = _trend_traces(client.get("/reports/branches/B1").text)
    points = manager[-1]
    assert sorted(points["y"]) == sorted(s["score"] for s in scores.values())
    assert len(manager) == 4  # limits and centre: no second, adjusted series
    csv = client.get("/reports/branches/B1/csv/visits").text
    assert "10:00" not in csv and "18:00" not in csv and "2026-03-10" in csv
