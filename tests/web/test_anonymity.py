"""A branch manager never learns who audited a visit: not by name, nor by anything from which
it can be worked out. The attack (``anonymity_attack``) takes every per-visit value of every
artefact the manager can reach and fails on any grouping of visits that tells the planted
shoppers apart better than chance; the same attack on head office's view must succeed, or it
proves nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import uuid

import pytest

from audits.actions.services import approve_audit
from audits.fieldwork import review
from audits.org.users import get_current_user
from audits.subscriptions import services as subscriptions_services
from audits.subscriptions.schemas import SubscriptionCreate
from audits.tables import Audit
from web.reminders import compose
from web.scheduled_reports import notify_approved, run_scheduled

from ..conftest import run
from . import smtp_fixtures
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
from .anonymity_fixtures import MANAGED, OFFICE_LAG, SHOPPERS, Planted, seed_organisation
from .report_helpers import as_user, pdf_text

smtp = smtp_fixtures.smtp  # the fixture, for these tests
ANSWERS = frozenset({"answers", "comments", "failed"})  # a manager may read the answers


@pytest.fixture
def planted(db) -> Planted:
    """The organisation, with head office publishing B1's audits as it works its queue, each
    ``OFFICE_LAG`` after it was filed (so the actions it opens carry the shopper's filing
    habit) and with a comment naming the shopper (which must stay with head office)."""
    seeded = run(seed_organisation())
    run(_publish_queue(seeded))
    return seeded


async def _publish_queue(seeded: Planted) -> None:
    office = await _office()
    first_name = {s.username: s.first for s in SHOPPERS}
    filed = await Audit.select(Audit.id, Audit.submitted_at).where(Audit.status == "submitted")
    published_at = {str(r["id"]): r["submitted_at"] + OFFICE_LAG for r in filed}
    for entry in await review.review_queue(branch=MANAGED):
        name = first_name[seeded.shopper_of[str(entry.id)]]
        comment = f"Fine; {name} called to confirm."
        await approve_audit(entry.id, office, comment, now=published_at[str(entry.id)])


async def _office():
    from piccolo.apps.user.tables import BaseUser

    row = await BaseUser.select(BaseUser.id).where(BaseUser.username == "ada").first()
    return await get_current_user(row["id"])


def _scores(visits: list[str]) -> dict[str, float]:
    rows = run(Audit.select(Audit.id, Audit.score).where(Audit.id.is_in(visits)).run())
    return {str(r["id"]): r["score"] for r in rows}


class _Reader:
    """The attacker: a logged-in client that keeps every text it reads."""

    def __init__(self, client, planted: Planted) -> None:
        self.client, self.texts = client, {}
        visits = sorted(planted.shopper_of)
        self.visits = visits
        self.seen = Observations(planted.shopper_of, _scores(visits))

    def get(self, url: str):
        response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        binary = response.headers.get("content-type", "").startswith(("application/pdf", "image"))
        self.texts[url] = response.content.decode("latin-1") if binary else response.text
        return response


def _attack(client, planted: Planted, user: str) -> tuple[Observations, dict[str, str]]:
    """Everything ``user`` can reach about B1's visits, as per-visit series and as text."""
    as_user(client, user)
    reader = _Reader(client, planted)
    for walk in (_branch_report, _visits, _actions, _photos):
        walk(reader)
    client.cookies.clear()
    return reader.seen, reader.texts


def _branch_report(reader: _Reader) -> None:
    """The page (tables and the figures' data), every CSV it links, the PDF's text."""
    base, seen = f"/reports/branches/{MANAGED}", reader.seen
    page = reader.get(base).text
    seen.add_many("branch page figure", figure_values(page))
    seen.add_many("branch page table", table_rows(page))
    for key in sorted(set(re.findall(rf"{base}/csv/([a-z_]+)", page))):
        seen.add_many(f"branch csv {key}", csv_rows(reader.get(f"{base}/csv/{key}").text))
    order = [row[0] for row in _csv(reader.get(f"{base}/csv/visits").text)[1:]]
    pdf = reader.texts[f"{base}/pdf"] = pdf_text(reader.get(f"{base}/pdf").content)
    seen.add_many("branch pdf visits", pdf_visit_lines(pdf, order))


def _visits(reader: _Reader) -> None:
    """The JSON API, the start page, the audit list and pages, each visit report with its CSV
    (and two PDFs: they are slow, and their text is searched for names)."""
    seen, get = reader.seen, reader.get
    seen.add_many("api list", json_fields(get("/api/audits?limit=500").json(), skip=ANSWERS))
    seen.add_many("branch-audits list", cards(get("/branch-audits/").text))
    seen.add_many("home", cards(get("/").text))  # the start page's latest visits
    for visit in reader.visits:
        seen.add_many("api detail", json_fields(get(f"/api/audits/{visit}").json(), skip=ANSWERS))
        seen.add_many("audit page", page_positions(get(f"/branch-audits/{visit}").text, visit))
        base = f"/reports/visits/{visit}"
        page = get(base).text
        seen.add_many("visit report", page_positions(page, visit))
        for key in sorted(set(re.findall(rf"{base}/csv/([a-z_]+)", page))):
            table = get(f"{base}/csv/{key}").text
            seen.add_many(f"visit csv {key}", csv_rows(_with_id(table, visit)))
    for visit in reader.visits[:2]:
        url = f"/reports/visits/{visit}/pdf"
        reader.texts[url] = pdf_text(get(url).content)


def _actions(reader: _Reader) -> None:
    """The actions API (list and details) and pages, keyed by the visit that opened them."""
    actions = reader.get(f"/api/actions?branch={MANAGED}").json()
    reader.seen.add_many("actions api list", json_fields(actions))
    reader.get("/actions/?state=any")
    one_per_visit = {a["audit"]: a for a in reversed(actions)}.values()  # pages are slow
    for action in one_per_visit:
        detail = reader.get(f"/api/actions/{action['id']}").json()
        reader.seen.add_many("actions api detail", json_fields(detail))
        page = reader.get(f"/actions/{action['id']}").text
        reader.seen.add_many("action page", page_positions(page, action["audit"]))


def _photos(reader: _Reader) -> None:
    """Each photo's headers (as series) and bytes (searched for names)."""
    from audits.tables import Evidence

    rows = run(Evidence.select(Evidence.id, Evidence.audit_id).run())
    for row in rows:
        visit = str(row["audit_id"])
        if visit in reader.visits:
            response = reader.get(f"/api/evidence/{row['id']}")
            reader.seen.add_many(
                "photo headers", ((k, visit, v) for k, v in response.headers.items())
            )


def _csv(text: str) -> list[list[str]]:
    import csv
    import io

    return list(csv.reader(io.StringIO(text)))


def _with_id(text: str, visit: str) -> str:
    """A visit's CSV is one visit's: key each row by it."""
    lines = text.splitlines()
    return "\n".join([lines[0] + ",visit", *(f"{line},{visit}" for line in lines[1:])])


def _emails_to_manager(app_settings) -> str:
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=15)  # every action overdue by then
    settings = dataclasses.replace(app_settings, public_url="https://evenly.test")
    messages = run(compose(settings, later))
    return "\n".join(m.body for m in messages if m.recipient.username == "max")


def _scheduled_to_manager(app_settings, smtp_url: str, inbox, visits: list[str]) -> str:
    """What the manager's scheduled e-mails say: January's branch report and two visit notices
    (subjects, bodies and the attached PDFs' text)."""
    long_ago = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)  # before every approval

    async def subscribe() -> None:
        office = await _office()
        for kind in ("branch", "visits"):
            wanted = SubscriptionCreate(username="max", kind=kind, branch=MANAGED)
            await subscriptions_services.subscribe(wanted, office, long_ago)

    run(subscribe())
    settings = dataclasses.replace(app_settings, smtp_url=smtp_url)
    assert run(run_scheduled(settings, dt.date(2026, 2, 1))).sent >= 1
    for visit in visits[:2]:
        assert run(notify_approved(settings, uuid.UUID(visit))).sent == 1
    texts = []
    for message in inbox.wait_for(3):
        assert message["To"] == "max@users.invalid"
        texts += [message["Subject"], message.get_body(("plain",)).get_content()]
        texts += [pdf_text(part.get_content()) for part in message.iter_attachments()]
    return "\n".join(texts)


def _report(seen: Observations, leaks: list) -> str:
    findings = list(seen.findings())
    top = sorted(findings, key=lambda f: -f["ari"])[:3]
    closest = sorted(findings, key=lambda f: (f["p"], -f["ari"]))[:3]
    worst: dict[str, float] = {}
    for f in findings:
        artefact = next(
            a for a in sorted(seen.artefacts, key=len, reverse=True) if f["series"].startswith(a)
        )
        worst[artefact] = max(worst.get(artefact, 0.0), f["ari"])
    return (
        f"{len(seen.artefacts)} artefacts, {len(seen.series)} series, {len(findings)} groupings;"
        f" highest ARI per artefact: {worst};"
        f" leaks: {leaks}; highest ARI: {top}; lowest p: {closest}"
    )


def test_manager_artefacts_do_not_tell_the_shoppers_apart(client, planted, app_settings, smtp):
    seen, texts = _attack(client, planted, "max")
    texts["e-mail"] = _emails_to_manager(app_settings)
    assert texts["e-mail"], "the manager should have a reminder to read"
    url, inbox = smtp
    texts["scheduled e-mail"] = _scheduled_to_manager(
        app_settings, url, inbox, sorted(planted.shopper_of)
    )
    assert "Visits" in texts["scheduled e-mail"]  # the report's text arrived
    leaks = seen.leaks()
    named = sorted(
        {
            (url, secret)
            for url, text in texts.items()
            for secret in planted.secrets
            if secret.lower() in text.lower()
        }
    )
    print(_report(seen, leaks), f"names: {named}")
    assert len(seen.series) > 100  # the walk found the artefacts' values
    assert (leaks, named) == ([], []), _report(seen, leaks)


def test_head_office_view_gives_the_shoppers_away_to_the_same_attack(client, planted):
    """Head office sees the shopper and the adjusted chart: the attack finds them there (which
    shows it would find them in a manager's view)."""
    seen, texts = _attack(client, planted, "ada")
    leaks = {f["series"] for f in seen.leaks()}
    assert any(s.startswith("branch page figure") and "- score" in s for s in leaks), leaks
    assert any("auditor" in s for s in leaks), leaks
    assert any(".evidence." in s for s in leaks), leaks  # where the phone was, time on form
    assert any(
        SHOPPERS[0].username in text for url, text in texts.items() if "/reports/visits/" in url
    )
