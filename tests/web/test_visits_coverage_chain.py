"""Head office's coverage page at a chain's size: its cells summed up (all and per region), the
branches to see to first, the branch × shift × weekday matrix a page of branches at a time (of
one region, if asked) and every cell in its CSV; a small organisation still sees its whole matrix
on one page."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from audits.visits.selectors import unvisited_between
from web.coverage_view import ATTENTION, PAGE_BRANCHES

from ..conftest import run
from .conftest import login
from .coverage_chain_fixtures import (
    BARE,
    BRANCHES,
    END,
    PLANNED_ONLY,
    REGIONS,
    START,
    code,
    make_chain,
)
from .visit_fixtures import planned_fixture  # noqa: F401 - the `planned` fixture


@pytest.fixture
def chain(client, people, fundamentals):
    """100 branches in four regions with two shifts: ten with no visit, ten with one planned,
    eighty visited on both shifts; read as head office."""
    run(make_chain())
    assert login(client, people["office"]).status_code == 302
    return client


def _coverage(client, **query) -> str:
    params = {"start": START, "end": END, **query}
    response = client.get("/visits/coverage", params=params)
    assert response.status_code == 200, response.text[:300]
    return response.text


def _matrix_branches(page: str) -> list[str]:
    return re.findall(r'<tr id="b-([A-Z0-9]+)"', page)


def _region_rows(page: str) -> dict[str, list[int]]:
    table = re.search(r'<table class="coverage-regions">(.*?)</table>', page, re.S)[1]
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[1:]:
        name = re.search(r"<bdi>([^<]+)</bdi>", row)[1]
        rows[name] = [int(n) for n in re.findall(r'<td class="num[^"]*">([0-9,]+)</td>', row)]
    return rows


def test_chain_page_sums_up_every_cell_and_per_region(chain):
    page = _coverage(chain)
    cells = 2 * BRANCHES
    visited = 2 * (BRANCHES - BARE - PLANNED_ONLY)
    assert (
        f"{visited} of {cells} branch and shift pairs had a visit done; {PLANNED_ONLY} more have "
        f"visits planned; {2 * BARE + PLANNED_ONLY} have nothing planned." in page
    )
    regions = _region_rows(page)  # nothing planned, planned only, visited, branches
    assert set(regions) == set(REGIONS)
    assert sum(r[3] for r in regions.values()) == BRANCHES
    assert [sum(r[k] for r in regions.values()) for k in (0, 1, 2)] == [
        2 * BARE + PLANNED_ONLY, PLANNED_ONLY, visited
    ]  # fmt: skip
    bare_share = [r[0] / r[3] for r in regions.values()]
    assert bare_share == sorted(bare_share, reverse=True)  # most in need first
    # the office's home counts the same unvisited cells
    _, unvisited = run(unvisited_between(START, END, limit=1))
    assert unvisited == cells - visited


def test_chain_page_names_the_bare_branches_first_and_links_to_their_rows(chain):
    page = _coverage(chain)
    attention = re.search(r'<h2 id="attention">.*?</ul>', page, re.S)[0]
    named = re.findall(r'<li><a href="([^"]+)"><bdi>([A-Z0-9]+)</bdi>', attention)
    assert len(named) == ATTENTION
    assert [c for _, c in named[:BARE]] == [code(i) for i in range(BARE)]
    assert [c for _, c in named[BARE:]] == [code(i) for i in range(BARE, ATTENTION)]
    assert "2 of 2 shifts with nothing planned" in attention
    href, first = named[0]
    assert href.endswith(f"#b-{first}")


def test_chain_page_shows_its_matrix_a_page_of_branches_at_a_time(chain):
    first = _coverage(chain)
    assert _matrix_branches(first) == [code(i) for i in range(PAGE_BRANCHES)]
    assert first.count('<tr id="b-') + first.count('<tr><th scope="row"><bdi>') == PAGE_BRANCHES * 2
    assert "Page 1 of 3" in first and f"Branches 1–{PAGE_BRANCHES} of {BRANCHES}" in first
    assert 'href="/visits/coverage?start=2026-03-02&amp;end=2026-03-29&amp;page=3"' in first
    last = _coverage(chain, page=3)
    assert _matrix_branches(last) == [code(i) for i in range(2 * PAGE_BRANCHES, BRANCHES)]
    assert "Page 3 of 3" in last and "Gaps of these branches" in last
    assert _matrix_branches(_coverage(chain, page=99)) == _matrix_branches(last)  # clamped


def test_chain_page_drills_down_into_one_region(chain):
    page = _coverage(chain, region="EAST")
    east = [code(i) for i in range(BRANCHES) if REGIONS[i % 4] == "EAST"]
    assert _matrix_branches(page) == east[:PAGE_BRANCHES]
    assert "Region EAST" in page and "Page 1 of" not in page  # 25 branches: one page
    attention = re.search(r'<h2 id="attention">.*?</ul>', page, re.S)[0]
    assert set(re.findall(r"<bdi>(C\d+)</bdi>", attention)) <= set(east)
    assert 'href="/visits/coverage?start=2026-03-02&amp;end=2026-03-29&amp;region=EAST"' in page


def test_chain_csv_has_every_branch_and_shift(chain):
    response = chain.get("/visits/coverage.csv", params={"start": START, "end": END})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][:6] == ["Branch", "Name", "Region", "Shift", "Planned", "Done"]
    assert len(rows) == 1 + 2 * BRANCHES
    by_cell = {(r[0], r[3]): r for r in rows[1:]}
    assert by_cell[code(0), "morning"][2] == "NORTH"
    assert by_cell[code(0), "morning"][4:6] == ["0", "0"]
    assert by_cell[code(BARE), "morning"][4:6] == ["1", "0"]
    assert by_cell[code(99), "evening"][4:6] == ["0", "1"]
    assert sum(int(n) for n in by_cell[code(99), "evening"][6:]) == 1


def test_chain_page_in_persian_counts_in_its_digits(chain):
    page = _coverage(chain, lang="fa")
    pager = re.search(r'<nav class="pager".*?</nav>', page, re.S)[0]
    assert re.search(r"[۰-۹]", pager) and not re.search(r">[0-9]+<", pager)
    chain.get("/?lang=en")


def test_small_organisation_sees_its_whole_matrix_on_one_page(client, people, planned):
    assert login(client, people["office"]).status_code == 302
    start, end = dt.date.today(), dt.date.today() + dt.timedelta(days=30)
    page = client.get("/visits/coverage", params={"start": start, "end": end}).text
    assert _matrix_branches(page) == ["V01", "V02"]
    assert 'class="pager"' not in page and 'id="regions"' not in page
    assert 'id="attention"' not in page and "Gaps (26)" in page
    assert "0 of 4 branch and shift pairs had a visit done; 2 more" in page
    response = client.get("/visits/coverage.csv", params={"start": start, "end": end})
    assert len(response.text.strip().splitlines()) == 1 + 4
