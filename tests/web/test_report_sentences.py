"""Every sentence of a report says the numbers shown beside it (issue 17).

The branch and head-office pages are rendered over a seeded organisation (three branches,
four shoppers of known severity, three shifts); each sentence of "What stands out" and each
sentence under a chart is read back, its numbers and words parsed, and compared with the
cells of the table on the same page that show the same figure: the standing sentence with
the key figures, the decision with "Visits to decide", the shift sentence with the shift
table, the trend sentence with the head office's trend row, the head office's sentences with
its league, variance and trend tables."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from audits.actions.services import approve_audit
from audits.fieldwork import review
from audits.org.users import get_current_user

from ..conftest import run
from .anonymity_fixtures import seed_organisation
from .report_helpers import as_user
from .report_page import (
    BETWEEN,
    NUMBER,
    ShownReport,
    check_branch,
    number,
    one,
    read_report,
    trend_of,
)

PERIOD = "?from=2025-06-01&to=2026-12-31"


async def _publish_everything() -> None:
    from piccolo.apps.user.tables import BaseUser

    row = await BaseUser.select(BaseUser.id).where(BaseUser.username == "ada").first()
    office = await get_current_user(row["id"])
    for entry in await review.review_queue():
        await approve_audit(entry.id, office, "", now=dt.datetime.now(dt.UTC))


@pytest.fixture
def seeded(client, db):
    run(seed_organisation())
    run(_publish_everything())
    as_user(client, "ada")
    return client


def _page(client, url: str) -> ShownReport:
    response = client.get(url + PERIOD)
    assert response.status_code == 200, response.text
    return read_report(response.text)


def test_branch_sentences_say_the_numbers_of_their_tables(seeded):
    office = _page(seeded, "/reports/headoffice")
    trends = office.tables["trends"].by("Branch")
    for code in ("B1", "B2", "B3"):
        label = f"Branch {code} ({code})"
        page = _page(seeded, f"/reports/branches/{code}")
        check_branch(page, label)
        # the branch's place and score are the league's row for it
        league = office.tables["league"].by("Branch")[label]
        figures = page.tables["overview"]
        assert league["Fair score"] == figures.row("Fair score")["Value"]
        assert league["Likely range"] == figures.row("Fair score")["Interval"]
        assert league["Against other branches"] == figures.row("Against other branches")["Value"]
        assert league["Visits to decide"] == figures.row("Visits to decide")["Value"]
        rank = figures.row("Rank")
        assert league["Rank"].startswith(rank["Value"])
        assert re.fullmatch(r"rank \d+ to \d+", rank["Interval"])  # whole ranks, in words
        # the trend sentence: the head office's trend row for the branch, in words
        trend = trend_of(page)
        if label in trends:
            assert trend, page.paragraphs.get("trend")
            row = trends[label]
            assert (trend[1], trend[2], trend[3]) == (
                row["Change"],
                row["Points a year"],
                row["Likely range"],
            )
            rising = one(
                rf"Scores are (rising|falling) by ({NUMBER}) points a year \(({BETWEEN})\)",
                page.summary,
            )
            # said in the summary exactly when the trend is clear, with the same figures
            assert (rising is not None) == trend[1].endswith("clearly")
            if rising:
                assert trend[1].startswith(rising[1]) and rising[3] == trend[3]
                assert number(rising[2]) == abs(number(trend[2]))
        # the method is in its note, not in the sentences
        assert "moving range" in page.methods["trend"] and "shrinkage" in page.methods["overview"]
        words = " ".join(page.summary + [p for ps in page.paragraphs.values() for p in ps])
        assert not re.search(r"\bq = |shrunken|σ|\d\.\d – ", words), words


def test_head_office_sentences_say_the_numbers_of_their_tables(seeded):
    page = _page(seeded, "/reports/headoffice")
    league = page.tables["league"]
    # below what chance explains: exactly the league rows that say so
    below = {r["Branch"] for r in league.by("Branch").values() if r["Against other branches"]
             == "below what chance explains"}  # fmt: skip
    named = one(r"^Below what chance explains: (.+)\.$", page.summary)
    assert (set(named[1].split(", ")) if named else set()) == below
    # the decisions sentence counts the league's "Visits to decide" column
    cells = league.column("Visits to decide")
    counts = one(
        r"(\d+) of (\d+) branches are settled; (\d+) need more visits to tell "
        r"\((\d+) more in all.*; (\d+) sit too close",
        page.summary,
    )
    if counts:
        numbers = [int(c) for c in cells if c.isdigit()]
        assert [int(g) for g in counts.groups()] == [
            cells.count("settled"), len(cells), len(numbers), sum(numbers),
            cells.count("too close to tell"),
        ]  # fmt: skip
    # the largest source of differences is the variance table's largest share
    source = one(r"(\d+)% come from (.+?), the largest source", page.summary)
    if source:
        shares = page.tables["variance"].by("Source")
        row = shares[source[2]]
        assert abs(number(row["Share %"]) - int(source[1])) <= 0.5 + 0.05
        assert number(row["Share %"]) == max(
            number(r["Share %"]) for k, r in shares.items() if k != "visit to visit"
        )
    # the branches whose charts signal a change are the trend rows with signals
    trends = page.tables["trends"]
    signalled = {
        row[0] for row, css in zip(trends.rows, trends.row_css, strict=True) if "below" in css
    }
    alarm = one(r"^Control charts signal a change at (.+)\.$", page.summary)
    assert (set(alarm[1].split(", ")) if alarm else set()) == signalled
    for row in trends.by("Branch").values():
        assert row["Change"] in ("rising, clearly", "falling, clearly", "no clear change")
    # the largest shift effect is the branch page's shift row
    effect = one(
        rf"The largest shift effect: (.+) on (\w+) visits, ({NUMBER}) points \(({BETWEEN})\)",
        page.summary,
    )
    if effect:
        code = effect[1].rsplit("(", 1)[1].rstrip(")")
        shifts = _page(seeded, f"/reports/branches/{code}").tables["shifts"].by("Shift")
        assert shifts[effect[2]]["Own difference (points)"] == effect[3]
        assert shifts[effect[2]]["Likely range"] == effect[4]
    # branches by name and code everywhere a branch is shown
    assert all(re.fullmatch(r"Branch (B\d) \(\1\)", b) for b in league.column("Branch"))
    assert all(" · Branch B" in b for b in page.tables["sections"].column("Branch"))
