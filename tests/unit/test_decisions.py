"""Visits needed for a decision against the standard, on the demo organisation: the verdict
agrees with each branch's interval, and the sentences say the numbers their tables show."""

import re

import pytest

from reports.branch_report import branch_report
from reports.decisions import decisions
from reports.headoffice_report import headoffice_report
from reports.report_model import Table

from .report_demo import Demo


@pytest.fixture(scope="module")
def demo() -> Demo:
    return Demo()


def _table(report, key: str) -> Table:
    return next(
        b for s in report.sections for b in s.blocks if isinstance(b, Table) and b.key == key
    )


def test_settled_branches_are_those_whose_interval_clears_the_standard(demo):
    found = decisions(demo.analysis)
    assert set(found) == {b.branch for b in demo.analysis.branches}
    standard = demo.analysis.standard
    for b in demo.analysis.branches:
        verdict = found[b.branch].verdict
        if b.interval.low > standard + 0.05:
            assert verdict == "above", b.branch
        elif b.interval.high < standard - 0.05:
            assert verdict == "below", b.branch
        elif b.interval.low < standard - 0.05 and b.interval.high > standard + 0.05:
            assert verdict in ("open", "too_close"), b.branch
    # The demo has branches on both sides and some still open: the figure is informative.
    assert {"open"} <= {d.verdict for d in found.values()}
    assert {"above", "below"} & {d.verdict for d in found.values()}


def test_open_branches_need_fewer_visits_the_further_they_sit_from_the_standard(demo):
    found = decisions(demo.analysis)
    standard = demo.analysis.standard
    open_ = [
        (abs(b.shrunken - standard), found[b.branch].more_visits, b.n)
        for b in demo.analysis.branches
        if found[b.branch].verdict == "open"
    ]
    assert all(more is not None and more >= 1 for _distance, more, _n in open_)
    near = min(open_)
    far = max(open_)
    assert far[1] <= near[1]


def test_each_branch_sentence_says_the_number_in_its_key_figures(demo):
    found = decisions(demo.analysis)
    for code, decision in found.items():
        report = branch_report(demo.branch(code), lang="en")
        figure = next(
            row[1].text
            for row in _table(report, "overview").rows
            if row[0].text == "Visits to decide"
        )
        sentence = next(s for s in report.summary if "standard of" in s)
        if decision.verdict == "open":
            assert f"about {figure} more visits" in sentence
            assert int(figure) == decision.more_visits
        elif decision.verdict == "too_close":
            assert figure == "too close to tell" and "too close to the standard" in sentence
        else:
            assert figure == "settled" and f"clearly {decision.verdict}" in sentence


def test_head_office_sentence_counts_what_the_league_table_shows(demo):
    report = headoffice_report(
        demo.rows, demo.analysis, period="2026", sections=demo.sections(), lang="en"
    )
    league = _table(report, "league")
    column = league.columns.index("Visits to decide")
    cells = [row[column].text for row in league.rows]
    settled = cells.count("settled")
    numbers = [int(c) for c in cells if c.isdigit()]
    close = cells.count("too close to tell")
    sentence = next(s for s in report.summary if s.startswith("Against the standard"))
    counts = re.search(
        r"(\d+) of (\d+) branches are settled; (\d+) need more visits to tell "
        r"\((\d+) more in all.*; (\d+) sit too close",
        sentence,
    )
    assert counts, sentence
    assert [int(g) for g in counts.groups()] == [
        settled, len(cells), len(numbers), sum(numbers), close
    ]  # fmt: skip
    # The CSV carries the same figure per branch, as a number (0 when settled).
    raw = [row[league.csv_columns.index("visits_to_decide")] for row in league.csv]
    assert raw.count(0) == settled and sorted(r for r in raw if isinstance(r, int) and r) == sorted(
        numbers
    )
