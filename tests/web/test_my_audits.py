"""The "My audits" page: all the user filed, however many audits others filed since."""

import datetime as dt
import uuid

from audits.tables import Audit, BaseUser, Branch
from checklists.scoring import score_audit, stored_results
from checklists.tables import ChecklistVersion

from ..conftest import run
from .audit_fixtures import perfect_answers
from .conftest import login

PAGE = 200


def _insert_audits(doc, username: str, n: int, first_day: dt.datetime) -> list[str]:
    """``n`` filed audits by ``username``, one a day from ``first_day``; their ids, oldest first."""

    async def insert() -> list[str]:
        user = await BaseUser.select(BaseUser.id).where(BaseUser.username == username).first()
        branch = await Branch.select(Branch.id).where(Branch.code == "B1").first()
        version = await ChecklistVersion.select(ChecklistVersion.id).first()
        answers = perfect_answers(doc)
        scored = score_audit(doc, answers)
        score = scored.score
        rows = [
            Audit(
                id=uuid.uuid4(),
                version=version["id"],
                branch=branch["id"],
                auditor=user["id"],
                answers=answers,
                visited_at=first_day + dt.timedelta(days=i),
                score=score,
                raw_score=score,
                results=stored_results(scored),
            )
            for i in range(n)
        ]
        await Audit.insert(*rows)
        return [str(row.id) for row in rows]

    return run(insert())


def _listed(page_text: str) -> list[str]:
    return [part.split('"')[0] for part in page_text.split('<a href="/audits/')[1:]]


def test_my_audits_admin_sees_own_older_audits_behind_many_newer_by_others(client, org):
    own = _insert_audits(org, "root", 3, dt.datetime(2025, 1, 1, 10, tzinfo=dt.UTC))
    others = _insert_audits(org, "sue", PAGE + 50, dt.datetime(2025, 6, 1, 10, tzinfo=dt.UTC))
    login(client, "root")
    listed = _listed(client.get("/audits").text)
    assert listed == own[::-1]  # only their own, newest first
    assert not set(others) & set(listed)


def test_my_audits_shopper_pages_to_the_oldest_audit(client, org):
    own = _insert_audits(org, "sam", PAGE + 1, dt.datetime(2025, 1, 1, 10, tzinfo=dt.UTC))
    _insert_audits(org, "sue", 5, dt.datetime(2026, 1, 1, 10, tzinfo=dt.UTC))
    login(client, "sam")
    first = client.get("/audits").text
    assert _listed(first) == own[::-1][:PAGE]
    assert 'href="/audits?offset=200"' in first and "offset=0" not in first
    second = client.get("/audits?offset=200").text
    assert _listed(second) == [own[0]]
    assert 'href="/audits?offset=0"' in second and "offset=400" not in second


def test_my_audits_refuses_a_negative_offset(client, org):
    login(client, "sam")
    response = client.get("/audits?offset=-1")
    assert response.status_code == 422 and "offset" in response.text
