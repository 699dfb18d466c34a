"""A branch manager never learns who audited a visit: not by name, nor by anything from which
it can be worked out. The attack (``anonymity_attack``) takes every per-visit value of every
artefact the manager can reach and fails on any grouping of visits that tells the planted
shoppers apart better than chance; the same attack on head office's view must succeed, or it
proves nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from audits import review
from audits.queries import get_current_user
from audits.tables import Audit
from web.reminders import compose

from ..conftest import run
from .anonymity_attack import (
    Observations,
    cards,
    csv_rows,
    figure_values,
    json_fields,
    page_positions,
    pdf_visit_lines,
    table_rows,
)
from .anonymity_fixtures import MANAGED, SHOPPERS, Planted, seed_organisation
from .report_helpers import as_user, pdf_text

ANSWERS = frozenset({"answers", "comments", "failed"})  # a manager may read the answers


@pytest.fixture
def planted(db) -> Planted:
    """The organisation, with head office publishing B1's audits as it works its queue, each
    with a comment naming the shopper (which must stay with head office)."""
    seeded = run(seed_organisation())
    run(_publish_queue(seeded))
    return seeded


async def _publish_queue(seeded: Planted) -> None:
    office = await _office()
    first_name = {s.username: s.first for s in SHOPPERS}
    for entry in await review.review_queue(branch=MANAGED):
        name = first_name[seeded.shopper_of[str(entry.id)]]
        await review.approve(entry.id, office, f"Fine; {name} called to confirm.")


async def _office():
    from piccolo.apps.user.tables import BaseUser

    row = await BaseUser.select(BaseUser.id).where(BaseUser.username == "ada").first()
    return await get_current_user(row["id"])


def _scores(visits: list[str]) -> dict[str, float]:
    rows = run(Audit.select(Audit.id, Audit.score).where(Audit.id.is_in(visits)).run())
    return {str(r["id"]): r["score"] for r in rows}


def _attack(client, planted: Planted, user: str) -> tuple[Observations, dict[str, str]]:
    """Everything ``user`` can reach about B1's visits, as per-visit series and as text."""
    visits = sorted(planted.shopper_of)
    seen = Observations(planted.shopper_of, _scores(visits))
    texts: dict[str, str] = {}
    as_user(client, user)

    def get(url: str):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        texts[url] = response.text if "pdf" not in url and "evidence" not in url else ""
        return response

    base = f"/reports/branches/{MANAGED}"
    page = get(base).text
    seen.add_many("branch page figure", figure_values(page))
    seen.add_many("branch page table", table_rows(page))
    for key in sorted(set(re.findall(rf"{base}/csv/([a-z_]+)", page))):
        seen.add_many(f"branch csv {key}", csv_rows(get(f"{base}/csv/{key}").text))
    order = [row[0] for row in _csv(get(f"{base}/csv/visits").text)[1:]]
    pdf = pdf_text(get(f"{base}/pdf").content)
    texts[f"{base}/pdf"] = pdf
    seen.add_many("branch pdf visits", pdf_visit_lines(pdf, order))

    listing = get(f"/api/audits?branch={MANAGED}&limit=500").json()
    seen.add_many("api list", json_fields(listing, skip=ANSWERS))
    seen.add_many("branch-audits list", cards(get("/branch-audits/").text))
    for visit in visits:
        seen.add_many("api detail", json_fields(get(f"/api/audits/{visit}").json(), skip=ANSWERS))
        seen.add_many("visit report", page_positions(get(f"/reports/visits/{visit}").text, visit))
        seen.add_many("branch-audit page", page_positions(get(f"/branch-audits/{visit}").text, visit))
        seen.add_many("visit csv", csv_rows(_with_id(get(f"/reports/visits/{visit}/csv/sections").text, visit)))
    for visit in visits[:2]:  # PDFs are slow; their text is searched for names below
        texts[f"/reports/visits/{visit}/pdf"] = pdf_text(get(f"/reports/visits/{visit}/pdf").content)

    actions = get(f"/api/actions?branch={MANAGED}").json()
    seen.add_many("actions api list", json_fields(actions))
    texts["/actions/"] = get("/actions/?state=any").text
    for action in actions:
        detail = get(f"/api/actions/{action['id']}").json()
        seen.add_many("actions api detail", json_fields(detail))
        seen.add_many(
            "action page", page_positions(get(f"/actions/{action['id']}").text, action["audit"])
        )

    photo_of = _photo_visits(planted)
    for photo, visit in photo_of.items():
        response = get(f"/api/evidence/{photo}")
        seen.add_many("photo headers", ((k, visit, v) for k, v in response.headers.items()))
        texts[f"/api/evidence/{photo}"] = response.content.decode("latin-1")
    client.cookies.clear()
    return seen, texts


def _csv(text: str) -> list[list[str]]:
    import csv
    import io

    return list(csv.reader(io.StringIO(text)))


def _with_id(text: str, visit: str) -> str:
    """A visit's CSV is one visit's: key each row by it."""
    lines = text.splitlines()
    return "\n".join([lines[0] + ",visit", *(f"{line},{visit}" for line in lines[1:])])


def _photo_visits(planted: Planted) -> dict[str, str]:
    from audits.tables import Evidence

    rows = run(Evidence.select(Evidence.id, Evidence.audit_id).run())
    return {str(r["id"]): str(r["audit_id"]) for r in rows if str(r["audit_id"]) in planted.shopper_of}


def _emails_to_manager(app_settings) -> str:
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=15)  # every action overdue by then
    settings = dataclasses.replace(app_settings, public_url="https://evenly.test")
    messages = run(compose(settings, later))
    return "\n".join(m.body for m in messages if m.recipient.username == "max")


def _report(seen: Observations, leaks: list) -> str:
    top = sorted(seen.findings(), key=lambda f: -f["ari"])[:5]
    return f"{len(seen.artefacts)} artefacts, {len(seen.series)} series; leaks: {leaks}; top: {top}"


def test_manager_artefacts_do_not_tell_the_shoppers_apart(client, planted, app_settings):
    seen, texts = _attack(client, planted, "max")
    texts["e-mail"] = _emails_to_manager(app_settings)
    assert texts["e-mail"], "the manager should have a reminder to read"
    leaks = seen.leaks()
    print(_report(seen, leaks))
    assert not leaks, _report(seen, leaks)
    assert len(seen.series) > 100  # the walk found the artefacts' values
    named = {
        (url, secret)
        for url, text in texts.items()
        for secret in planted.secrets
        if secret.lower() in text.lower()
    }
    assert not named


def test_head_office_view_gives_the_shoppers_away_to_the_same_attack(client, planted):
    """Head office sees the shopper and the adjusted chart: the attack finds them there (which
    shows it would find them in a manager's view)."""
    seen, texts = _attack(client, planted, "ada")
    leaks = {f["series"] for f in seen.leaks()}
    assert any(s.startswith("branch page figure") and "- score" in s for s in leaks), leaks
    assert any("auditor" in s for s in leaks), leaks
    assert any(
        SHOPPERS[0].username in text for url, text in texts.items() if "/reports/visits/" in url
    )
