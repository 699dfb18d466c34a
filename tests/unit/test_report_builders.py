"""Report builders on the demo organisation: the numbers they show are the analysis's, the
planted patterns reach the plain-language summary, and tables and figures agree."""

import datetime as dt

import numpy as np
import pytest

from audits.demo.generator import generate_demo
from bench.demo_frames import rows_from_demo
from checklists.model import text_in
from reports import describe
from reports.analysis import analyse
from reports.branch_report import branch_report
from reports.figures import RED
from reports.headoffice_report import headoffice_report
from reports.report_model import Table, fmt
from reports.results import AnalysisResult
from reports.rows import frame_of

from .report_demo import Demo


@pytest.fixture(scope="module")
def demo() -> Demo:
    return Demo()


def _linked_headoffice(demo: Demo):
    """The head-office report as the page builds it: branches link to their pages."""
    return headoffice_report(
        demo.rows,
        demo.analysis,
        period="2026",
        sections=demo.sections(),
        lang="en",
        branch_href=lambda b: f"/reports/branches/{b}",
    )


def test_branch_summary_names_the_planted_evening_gap(demo):
    report = branch_report(demo.branch("B02"), lang="en")
    first = report.summary[0]
    assert "except on evening visits" in first
    gap = int(first.split("which score ")[1].split(" points")[0])
    assert 10 <= gap <= 20  # planted: evenings 15 points lower


def test_branch_summary_of_a_steady_branch_says_it_is_the_same_on_every_shift(demo):
    assert (
        "about the same on every shift" in branch_report(demo.branch("B07"), lang="en").summary[0]
    )


def test_branch_summary_names_the_erratic_staff_member(demo):
    summary = " ".join(branch_report(demo.branch("B19"), lang="en").summary)
    assert "B19-S3 varies far more than their peers" in summary


def test_branch_report_key_figures_are_the_analysis_numbers(demo):
    report = branch_report(demo.branch("B05"), lang="en")
    entry = next(b for b in demo.analysis.branches if b.branch == "B05")
    overview = {row[0]: row[1] for row in report.table("overview").csv}
    assert overview["Fair score (shrunken)"] == entry.shrunken  # the CSV keeps its labels
    assert overview["Adjusted for shopper severity"] == entry.adjusted_mean
    assert overview["Consistency index"] == entry.consistency
    assert len(report.table("visits").rows) == entry.n


def test_branch_sections_table_compares_with_the_whole_organisation(demo):
    report = branch_report(demo.branch("B02"), lang="en")
    org = describe.section_means(demo.rows)
    for key, mine, whole, diff in report.table("sections").csv:
        assert whole == pytest.approx(org[key].mean, abs=0.01)
        assert diff == pytest.approx(mine - whole, abs=0.02)


def test_branch_item_pass_rates_put_the_most_failed_first(demo):
    rates = [row[2] for row in branch_report(demo.branch("B01"), lang="en").table("items").csv]
    assert rates == sorted(rates)


def test_headoffice_league_table_is_the_analysis_in_rank_order(demo):
    report = _linked_headoffice(demo)
    league = report.table("league")
    ranked = sorted(demo.analysis.branches, key=lambda b: b.rank)
    assert [row[1] for row in league.csv] == [b.branch for b in ranked]
    assert [row[5].text for row in league.rows] == [fmt(b.shrunken) for b in ranked]
    assert league.rows[0][1].href == f"/reports/branches/{ranked[0].branch}"


def test_headoffice_summary_names_the_strict_shopper_and_the_evening_branch(demo):
    report = headoffice_report(
        demo.rows, demo.analysis, period="2026", sections=demo.sections(), lang="en"
    )
    summary = " ".join(report.summary)
    assert "nikos.k" in summary and "(B02) on evening visits" in summary


def test_headoffice_figures_link_points_to_branch_pages(demo):
    report = _linked_headoffice(demo)
    figures = {f.key: f.figure for f in report.figures()}
    assert set(figures) >= {"league", "funnel", "heatmap", "variance", "auditors", "trends"}
    league = figures["league"]
    assert league["layout"]["meta"]["links"] is True
    assert league["data"][0]["customdata"][0].startswith("/reports/branches/B")


def test_headoffice_report_with_too_few_visits_says_so(demo):
    report = headoffice_report(
        demo.rows[:2],
        AnalysisResult(n_audits=2, period=None, standard=80.0),
        period="2026",
        sections=demo.sections(),
        lang="en",
    )
    assert report.figures() == [] and "Too few" in report.sections[0].blocks[0].text


def test_branch_trend_chart_draws_the_adjusted_scores_its_signals_come_from(demo):
    """B11's drift raises CUSUM signals on severity-adjusted scores: the chart shows those
    scores, the analysis's own limits, and exactly the signalled visits in red."""
    data = demo.branch("B11")
    trend = data.findings.trend
    assert trend.signals, "the demo's B11 is expected to drift"
    report = branch_report(data, lang="en", audit_href=lambda i: f"/reports/visits/{i}")
    figure = {f.key: f.figure for f in report.figures()}["trend"]
    raw, upper, lower, centre, points = figure["data"]
    severity = {a.auditor: a.severity for a in demo.analysis.auditors}
    assert raw["y"] == pytest.approx([r.score for r in data.rows])
    assert points["y"] == pytest.approx([r.score - severity[r.auditor] for r in data.rows])
    # the analysis's limits, drawn within the 0–100 of a score
    assert upper["y"][0] == pytest.approx(min(100, trend.centre + trend.limit * trend.sigma))
    assert lower["y"][0] == pytest.approx(max(0, trend.centre - trend.limit * trend.sigma))
    assert (
        figure["layout"]["yaxis"]["range"][0] <= 0 <= 100 <= figure["layout"]["yaxis"]["range"][1]
    )
    red = {r.id for r, c in zip(data.rows, points["marker"]["color"], strict=True) if c == RED}
    assert red == {s.ref for s in trend.signals}
    # a click on a visit opens its report
    assert figure["layout"]["meta"]["links"] is True
    assert points["customdata"] == [f"/reports/visits/{r.id}" for r in data.rows]
    table = {t.key: t for t in _tables(branch_report(data, lang="en"))}["signals"]
    assert {row[1].text for row in table.rows} <= {
        "sustained rise",
        "sustained fall",
        "beyond the alarm limit",
    }


def test_funnel_limits_are_smooth_curves_through_each_branch_s_own_limits(demo):
    report = headoffice_report(
        demo.rows, demo.analysis, period="2026", sections=demo.sections(), lang="en"
    )
    funnel = {f.key: f.figure for f in report.figures()}["funnel"]
    upper95 = funnel["data"][1]
    assert len(upper95["x"]) >= 40 and upper95["x"] == sorted(upper95["x"])
    assert upper95["x"][0] <= min(b.n for b in demo.analysis.branches) and upper95["x"][-1] > max(
        b.n for b in demo.analysis.branches
    )
    for b in demo.analysis.branches:  # the curve passes through every branch's limit
        at_n = np.interp(b.n, upper95["x"], upper95["y"])
        assert at_n == pytest.approx(b.funnel.limits95.high, abs=0.1)


def test_calibration_agreement_names_items_by_their_text():
    doc = Demo().doc
    org = generate_demo(doc, seed=7, start=dt.date(2026, 1, 1), calibration_share=0.2)
    rows = rows_from_demo(org, doc)
    items = {i.key: text_in(i.text, "en")[0] for i in doc.items()}
    report = headoffice_report(
        rows, analyse(frame_of(rows)), period="2026", sections={}, lang="en", items=items
    )
    table = {t.key: t for t in _tables(report)}["calibration"]
    assert table.rows and {row[0].text for row in table.rows} <= set(items.values())
    assert {row[0] for row in table.csv} <= set(items)  # the CSV keeps the keys


def _tables(report):
    return [b for s in report.sections for b in s.blocks if isinstance(b, Table)]


def test_a_greek_branch_report_writes_decimal_commas_in_tables_facts_and_summary(demo):
    english = branch_report(demo.branch("B02"), lang="en")
    greek = branch_report(demo.branch("B02"), lang="el")
    entry = next(b for b in demo.analysis.branches if b.branch == "B02")
    assert dict(greek.facts)["Mean score"] == fmt(entry.mean).replace(".", ",")
    for en_row, el_row in zip(
        english.table("sections").rows, greek.table("sections").rows, strict=True
    ):
        assert [c.text.replace(".", ",") for c in en_row] == [c.text for c in el_row]
    assert english.table("sections").csv == greek.table("sections").csv  # CSV stays raw
    assert all(f.figure["layout"]["separators"] == ",." for f in greek.figures())
    assert greek.summary[0] == english.summary[0]  # the gap is a whole number either way


def test_a_persian_head_office_report_writes_persian_digits(demo):
    report = headoffice_report(
        demo.rows, demo.analysis, period="2026", sections=demo.sections(), lang="fa"
    )
    facts = dict(report.facts)
    assert facts["Visits"] == "".join("۰۱۲۳۴۵۶۷۸۹"[int(d)] for d in str(len(demo.rows)))
    league = report.table("league")
    shown = league.rows[0][5].text
    assert not any(d in shown for d in "0123456789") and "٫" in shown
    assert league.csv[0][1].startswith("B")  # CSV values stay machine-readable


def test_headoffice_heatmap_rows_open_their_branch(demo):
    report = _linked_headoffice(demo)
    heatmap = next(f.figure for f in report.figures() if f.key == "heatmap")
    assert heatmap["layout"]["meta"]["links"] is True
    for label, links in zip(heatmap["data"][0]["y"], heatmap["data"][0]["customdata"], strict=True):
        branch = label.split(" · ")[-1].rsplit("(", 1)[1].rstrip(")")  # "North · Kifisia (B07)"
        assert set(links) == {f"/reports/branches/{branch}"}
    first = report.table("sections").rows[0][0]
    assert first.href == f"/reports/branches/{first.text.rsplit('(', 1)[1].rstrip(')')}"


def test_every_csv_value_is_plain_data(demo):
    """A CSV cell is written with str(): an analysis Struct there would print its repr."""
    reports = [
        _linked_headoffice(demo),
        branch_report(demo.branch("B11"), lang="en"),
        branch_report(demo.branch("B02"), lang="el"),
    ]
    plain = (str, int, float, type(None))
    for report in reports:
        for made in report.tables():
            for row in made.csv:
                assert len(made.csv_columns or made.columns) == len(row), made.key
                for value in row:
                    assert isinstance(value, plain) or (
                        isinstance(value, list) and all(isinstance(v, plain) for v in value)
                    ), (made.key, value)


def test_the_shift_sentence_never_calls_a_wide_gap_the_same(demo):
    """B03's report once said "about the same on every shift (within 15 points)" beside a
    table of 85.8 against 71.2: a gap of 5 points or more is never called the same."""
    for code in sorted({r.branch for r in demo.rows}):
        first = branch_report(demo.branch(code), lang="en").summary[0]
        shifts = describe.groups([r for r in demo.rows if r.branch == code], lambda r: r.shift)
        spread = describe.spread(shifts)
        if "about the same on every shift" in first:
            assert spread < 5, (code, first)
            assert f"within {fmt(spread, 0)} points" in first
        elif "could be chance" in first:
            assert spread >= 5 and f"up to {fmt(spread, 0)} points" in first
