"""Every sentence of the demo's reports says the numbers of the table beside it (issue 17):
all 24 branches of the demo organisation (a planted evening gap, a drift, an erratic staff
member), each branch report's sentences against its key figures and shift table, its trend
sentence against head office's trend row for it. ``tests/web/test_report_sentences.py`` holds
the rendered pages to the same checks."""

from __future__ import annotations

import re

import pytest

from reports.branch_report import branch_report
from reports.figures import SCORE_RANGE
from reports.headoffice_report import headoffice_report

from ..web.report_page import check_branch, one, shown, trend_of
from .report_demo import Demo


@pytest.fixture(scope="module")
def demo() -> Demo:
    return Demo()


def test_every_demo_branch_s_sentences_say_its_table_s_numbers(demo):
    office = shown(
        headoffice_report(
            demo.rows, demo.analysis, period="2026", sections=demo.sections(), lang="en"
        )
    )
    trends = office.tables["trends"].by("Branch")
    league = office.tables["league"].by("Branch")
    gaps = 0
    for estimate in demo.analysis.branches:
        data = demo.branch(estimate.branch)
        label = f"{data.name} ({data.code})"
        page = shown(branch_report(data, lang="en"))
        check_branch(page, label)
        gaps += bool(one(r"except on \w+ visits", page.summary))
        figures = page.tables["overview"]
        assert league[label]["Fair score"] == figures.row("Fair score")["Value"]
        assert league[label]["Likely range"] == figures.row("Fair score")["Interval"]
        trend = trend_of(page)
        if label in trends:
            row = trends[label]
            assert trend and (trend[1], trend[2], trend[3]) == (
                row["Change"], row["Points a year"], row["Likely range"]
            )  # fmt: skip
            clear = one(r"Scores are (rising|falling) by", page.summary)
            assert (clear is not None) == trend[1].endswith("clearly")
    assert gaps >= 1  # the demo's planted evening gap is among them


def test_key_figures_carry_their_meaning_and_the_csv_its_old_labels(demo):
    report = branch_report(demo.branch("B05"), lang="en")
    table = report.table("overview")
    page = shown(report).tables["overview"]
    fair = page.rows.index(next(r for r in page.rows if r[0] == "Fair score"))
    assert page.meanings[fair] == [
        "the score adjusted for which shopper visited and how many visits there were"
    ]
    assert all(page.meanings)  # every figure says what it means
    labels = [row[0] for row in table.csv]
    assert "Fair score (shrunken)" in labels and "Funnel position (99.8%)" in labels
    funnel = next(row for row in table.csv if row[0] == "Funnel position (99.8%)")
    assert funnel[1] in ("above", "below", "within")  # the CSV keeps the code


def test_every_score_axis_runs_from_0_to_100(demo):
    branch = branch_report(demo.branch("B11"), lang="en")
    office = headoffice_report(
        demo.rows, demo.analysis, period="2026", sections=demo.sections(), lang="en"
    )
    axes = {
        "trend": ("yaxis", branch),
        "sections": ("xaxis", branch),
        "staff": ("xaxis", branch),
        "items": ("xaxis", branch),
        "league": ("xaxis", office),
        "funnel": ("yaxis", office),
        "shifts": ("xaxis", office),
    }
    for key, (axis, report) in axes.items():
        figure = next(f.figure for f in report.figures() if f.key == key)
        low, high = figure["layout"][axis]["range"]
        assert (low, high) == SCORE_RANGE or low <= 0 and 100 <= high < 110, (key, low, high)
        for trace in figure["data"]:
            ys = trace.get("y") if axis == "yaxis" else trace.get("x")
            if ys and all(isinstance(v, (int, float)) for v in ys):
                assert max(ys) <= high and min(ys) >= low, key


def test_sentences_and_labels_speak_words_not_statistics(demo):
    branch = shown(branch_report(demo.branch("B11"), lang="en"))
    office = shown(
        headoffice_report(
            demo.rows, demo.analysis, period="2026", sections=demo.sections(), lang="en"
        )
    )
    for page in (branch, office):
        text = " ".join(
            page.summary
            + [p for ps in page.paragraphs.values() for p in ps]
            + [c for t in page.tables.values() for c in t.columns]
            + [cell for t in page.tables.values() for row in t.rows for cell in row]
        )
        assert not re.search(r"q = |shrunken|σ|\d\.0 – \d|Funnel position", text)
        assert any(page.methods.values())
    assert re.fullmatch(r"rank \d+ to \d+", branch.tables["overview"].row("Rank")["Interval"])
