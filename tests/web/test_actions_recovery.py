"""Recovery figures match the actions they come from: a history built through the app, its
figures read from the API and the page, and counted again here from the stored rows."""

import datetime as dt
import statistics

from audits.tables import CorrectiveAction

from ..conftest import run
from .action_fixtures import NEXT_VISIT, actions_of, as_user, file_and_publish

THIRD_VISIT = "2026-04-07T11:00:00+02:00"


def _history(client, doc) -> None:
    """B1: three visits (one item recurs twice, one is fixed by the second visit, one closed
    by head office); B2: one visit with an action left open and overdue."""
    first = file_and_publish(
        client, doc, acknowledged_promptly=False, queue_wait_minutes=12, greeted_verbally=False
    )
    as_user(client, "ada")
    greeted = actions_of(first)["greeted_verbally"]["id"]
    assert client.post(f"/api/actions/{greeted}/verify").status_code == 200
    file_and_publish(
        client, doc, visited_at=NEXT_VISIT, acknowledged_promptly=False, greeted_verbally=True
    )
    file_and_publish(client, doc, visited_at=THIRD_VISIT, acknowledged_promptly=False)
    b2 = file_and_publish(client, doc, branch="B2", courtesy=1)
    late = actions_of(b2)["courtesy"]["id"]
    past = dt.date.today() - dt.timedelta(days=2)
    run(
        CorrectiveAction.update({CorrectiveAction.due_date: past})
        .where(CorrectiveAction.id == late)
        .run()
    )


def _counted(rows: list[dict]) -> dict:
    """The figures, counted straight from the rows (dates in UTC suffice: all are same-day)."""
    fixed = [
        (r["closed_at"].date() - r["opened_at"].date()).days
        for r in rows
        if r["state"] in ("verified", "verified_by_visit")
    ]
    rechecked = [r for r in rows if r["rechecked_by"] is not None]
    recurred = [r for r in rows if r["state"] == "recurred"]
    today = dt.date.today()
    return {
        "total": len(rows),
        "open": sum(r["state"] in ("open", "done") for r in rows),
        "overdue": sum(r["state"] == "open" and r["due_date"] < today for r in rows),
        "median_days_to_close": float(statistics.median(fixed)) if fixed else None,
        "rechecked": len(rechecked),
        "recurred": len(recurred),
        "recurrence_rate": len(recurred) / len(rechecked) if rechecked else None,
    }


def test_recovery_figures_match_the_stored_actions(client, org):
    _history(client, org)
    rows = run(
        CorrectiveAction.select(
            *CorrectiveAction.all_columns(), CorrectiveAction.branch.code.as_alias("code")
        ).run()
    )
    as_user(client, "ada")
    figures = client.get("/api/actions/recovery").json()
    total = {k: figures["total"][k] for k in _counted(rows)}
    assert total == _counted(rows)
    assert total["recurred"] == 2 and total["rechecked"] == 4  # the story above
    for branch in figures["branches"]:
        mine = [r for r in rows if r["code"] == branch["key"]]
        assert {k: branch[k] for k in _counted(mine)} == _counted(mine)
    by_item = {i["key"]: i for i in figures["items"]}
    assert by_item["acknowledged_promptly"]["recurrence_rate"] == 1.0
    assert by_item["queue_wait_minutes"]["recurrence_rate"] == 0.0
    page = client.get("/actions/recovery")
    assert page.status_code == 200 and "Recurrence rate" in page.text
    assert f"({total['recurred']} / {total['rechecked']})" in page.text


def test_manager_recovery_figures_cover_only_their_branches(client, org):
    _history(client, org)
    as_user(client, "mia")  # B2
    figures = client.get("/api/actions/recovery").json()
    assert [b["key"] for b in figures["branches"]] == ["B2"]
    assert (figures["total"]["open"], figures["total"]["overdue"]) == (1, 1)


def test_recovery_figures_name_items_by_their_text_in_the_reader_s_language(client, org):
    _history(client, org)
    as_user(client, "ada")
    page = client.get("/actions/recovery?lang=pl").text
    assert "Czy w ciągu 30 sekund od przybycia klienta pracownik dał znać" in page
    assert ">acknowledged_promptly<" not in page  # a key is no name for a reader
