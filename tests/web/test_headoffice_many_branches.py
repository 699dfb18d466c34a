"""Head office's report of a chain past a few dozen branches: it summarises (regions, the
branches that need attention, the spread of fair scores) and pages its league table, while the
CSV keeps every branch and the PDF stays a summary."""

from __future__ import annotations

import csv
import io
import re

import pytest

from audits.fieldwork.imports import import_audits

from ..conftest import run
from .chain_fixtures import BRANCHES, LOW, REGIONS, code, import_chain
from .report_helpers import as_user, pdf_pages, pdf_text
from .report_page import read_report

PERSIAN_DIGITS = set("۰۱۲۳۴۵۶۷۸۹٫٬")


@pytest.fixture
def chain(client, org):
    """120 branches in four regions, 480 published visits; read as head office (ada)."""
    import_chain()
    as_user(client, "ada")
    return client


def _ranks(cells: list[str]) -> list[int]:
    return [int(cell.split()[0].replace(",", "")) for cell in cells]


def test_headoffice_many_branches_page_summarises_regions_and_attention(chain):
    html = chain.get("/reports/headoffice").text
    page = read_report(html)
    regions = page.tables["regions"]
    assert set(regions.column("Region")) == set(REGIONS)
    assert sum(int(n) for n in regions.column("Branches")) == BRANCHES
    assert sum(int(n) for n in regions.column("Visits")) == 4 * BRANCHES
    assert sum(int(n) for n in regions.column("Clearly below the standard")) == LOW
    attention = page.tables["attention"]
    assert len(attention.rows) <= 25
    below = [r["Branch"] for r in attention.by("Branch").values()
             if r["Why"] == "clearly below the standard"]  # fmt: skip
    assert {re.search(r"\((H\d+)\)", b)[1] for b in below} == {code(i) for i in range(LOW)}
    for i in range(LOW):
        assert f'href="/reports/branches/{code(i)}"' in html
    # one bar chart of the spread, not one row per branch
    assert 'id="fig-distribution"' in html and 'id="fig-league"' not in html


def test_headoffice_many_branches_league_is_paged_and_the_csv_has_every_branch(chain):
    first = read_report(chain.get("/reports/headoffice").text).tables["league"]
    assert _ranks(first.column("Rank")) == list(range(1, 51))
    html = chain.get("/reports/headoffice?page=2").text
    assert "Ranks 51–100 of 120" in html
    assert 'href="/reports/headoffice?page=3#league"' in html
    second = read_report(html).tables["league"]
    assert _ranks(second.column("Rank")) == list(range(51, 101))
    last = read_report(chain.get("/reports/headoffice?page=9").text).tables["league"]
    assert _ranks(last.column("Rank")) == list(range(101, 121))  # past the end: the last page
    league = list(csv.reader(io.StringIO(chain.get("/reports/headoffice/csv/league").text)))
    assert league[0][:2] == ["rank", "branch"]
    assert sorted(row[1] for row in league[1:]) == [code(i) for i in range(BRANCHES)]


def test_headoffice_many_branches_region_link_narrows_the_league_keeping_national_ranks(chain):
    html = chain.get("/reports/headoffice").text
    link = "/reports/headoffice?page=1&amp;league_region=NORTH#league"
    assert f'href="{link}"' in html  # the region's row in the regions table
    html = chain.get(link.replace("&amp;", "&")).text
    assert "Branches 1–30 of 30 in region NORTH" in html
    league = read_report(html).tables["league"]
    shown = {re.search(r"\((H\d+)\)", b)[1] for b in league.column("Branch")}
    assert shown == {code(i) for i in range(0, BRANCHES, 4)}
    national = read_report(chain.get("/reports/headoffice").text).tables["league"]
    assert _ranks(league.column("Rank")) != list(range(1, 31))  # ranks in the whole chain
    assert _ranks(national.column("Rank")) == list(range(1, 51))


def test_headoffice_many_branches_pdf_is_a_summary_not_every_branch(chain):
    response = chain.get("/reports/headoffice/pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    for words in ("Regions", "Branches that need attention", "Fair league table: 120 rows"):
        assert words in re.sub(r"\s+", " ", text), words
    named = set(re.findall(r"\bH\d{3}\b", text))
    assert {code(i) for i in range(LOW)} <= named
    assert len(named) < BRANCHES // 2
    assert pdf_pages(response.content) < 25


def test_headoffice_many_branches_region_table_in_persian_digits(chain):
    page = read_report(chain.get("/reports/headoffice?lang=fa").text)
    regions = page.tables["regions"]
    numbers = [cell for row in regions.rows for cell in row[1:]]
    assert numbers and all(set(cell) <= PERSIAN_DIGITS for cell in numbers), numbers


def test_headoffice_many_branches_counts_csv_only_tables_in_persian_digits(chain):
    page = chain.get("/reports/headoffice?lang=fa").text
    notes = [n for n in re.findall(r'<p class="download"[^>]*>([^<]*)<', page) if n.strip()]
    assert notes and all(re.search("[۰-۹]", n) and not re.search("[0-9]", n) for n in notes), notes


def _fifth_visits() -> str:
    """A fifth visit to every branch: enough for each one's trend."""
    rows = [f"c-{i}-4,2026-04-06T11:00,{code(i)},{code(i)}-S0,aud{i % 6},{90 - i % 7}"
            for i in range(BRANCHES)]  # fmt: skip
    return "audit_ref,visited_at,branch,staff,auditor,score\n" + "\n".join(rows) + "\n"


def test_headoffice_many_branches_csv_only_tables_have_every_branch_in_their_csv(chain):
    """The page and the PDF say how many rows a table left to its CSV has (its rows are built
    only when its CSV is asked for): the CSV has them all, one per branch."""
    run(import_audits(_fifth_visits()))
    page = chain.get("/reports/headoffice").text
    notes = dict(re.findall(r'<p class="download" id="table-([a-z_]+)">([^<]*)<', page))
    assert {"sections", "trends"} <= set(notes)
    sections = list(csv.reader(io.StringIO(chain.get("/reports/headoffice/csv/sections").text)))
    assert sections[0][0] == "Branch" and len(sections[0]) > 1
    assert sorted(row[0].split(" · ")[1] for row in sections[1:]) == [
        code(i) for i in range(BRANCHES)
    ]
    assert all(float(value) > 0 for row in sections[1:] for value in row[1:] if value)
    trends = list(csv.reader(io.StringIO(chain.get("/reports/headoffice/csv/trends").text)))
    assert trends[0][:3] == ["branch", "n", "slope_per_year"]
    assert sorted(row[0] for row in trends[1:]) == [code(i) for i in range(BRANCHES)]
    assert {row[1] for row in trends[1:]} == {"5"}
    for key, rows in (("sections", sections), ("trends", trends)):
        assert f"{len(rows) - 1} rows" in notes[key], notes[key]
    pdf = re.sub(r"\s+", " ", pdf_text(chain.get("/reports/headoffice/pdf").content))
    assert f"Trends and control-chart signals: {BRANCHES} rows" in pdf
