"""Report PDF timings, each next to its floor: WeasyPrint alone on the same HTML with the
charts already rendered. Pure (no database): the demo organisation from its generator.

    python bench/reports.py [--branches 200]

Prints, in seconds: the visit PDF (in a warm process, as the web app serves it, and first in
a fresh one, as the CLI makes it), a branch report and a head-office report for N branches
(rows → analysis → report model → charts in one kept browser → layout), each with the
WeasyPrint-only floor and the ratio; then one chart in a fresh browser against a kept one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from audits.demo.generator import generate_demo  # noqa: E402
from audits.fieldwork.schemas import AuditOut  # noqa: E402
from bench.demo_frames import rows_from_demo  # noqa: E402
from checklists.documents import load_checklist  # noqa: E402
from checklists.model import text_in  # noqa: E402
from checklists.scoring import score_audit  # noqa: E402
from reports.analysis import analyse  # noqa: E402
from reports.branch_report import BranchInput, branch_report  # noqa: E402
from reports.charts import ChartRenderer, clear_image_cache  # noqa: E402
from reports.headoffice_report import headoffice_report  # noqa: E402
from reports.pdf import (  # noqa: E402
    Timings,
    clear_pdf_cache,
    html_to_pdf,
    print_html,
    report_pdf,
    warm_up,
)
from reports.rows import frame_of  # noqa: E402
from reports.visit import visit_report  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DOC = load_checklist((ROOT / "checklists/defaults/service-fundamentals.yaml").read_text("utf-8"))
START = dt.date(2026, 1, 1)


def clock(fn):
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def rows_for(branches: int) -> list:
    """Demo organisations from successive seeds, codes prefixed, until ``branches``."""
    rows: list = []
    seed = 0
    while len({r.branch for r in rows}) < branches:
        org = generate_demo(DOC, seed=seed, start=START)
        for r in rows_from_demo(org, DOC):
            r.branch, r.auditor = f"S{seed}-{r.branch}", f"S{seed}-{r.auditor}"
            r.staff = f"S{seed}-{r.staff}"
            r.staff_label, r.region = r.staff, f"S{seed}-{r.region}"
            rows.append(r)
        seed += 1
    keep = sorted({r.branch for r in rows})[:branches]
    return [r for r in rows if r.branch in set(keep)]


def pdf_parts(report, renderer) -> tuple[float, float, float]:
    """(charts, layout) of a first download, as ``report_pdf`` does it, then the whole of a
    second download of the same report (images and PDF from the process's caches)."""
    clear_image_cache()
    clear_pdf_cache()
    first = Timings()
    report_pdf(report, renderer=renderer, timings=first)
    _, again = clock(lambda: report_pdf(report, renderer=renderer))
    return first.charts, first.layout, again


def visit() -> tuple[float, float, float]:
    """(first in a fresh process, median once warm, floor)."""
    org = generate_demo(DOC, seed=7, start=START)
    a = org.audits[0]
    scored = score_audit(DOC, a.answers)
    audit = AuditOut(
        id=a.id,
        branch=a.branch,
        checklist=DOC.slug,
        version=1,
        visited_at=a.visited_at,
        channel=a.channel,
        staff=a.staff,
        staff_description="",
        answers=a.answers,
        comments=a.comments,
        visit=None,
        visit_minutes=None,
        status="published",
        score=scored.score,
        raw_score=scored.raw_score,
        critical_fail=scored.critical_fail,
        shift=a.shift,
        submitted_at=a.submitted_at,
        auditor=None,
        failed=[],
        section_scores={s.key: s.score for s in scored.sections},
        flags=[],
        review_comment="",
    )

    def build():
        report = visit_report(
            audit,
            DOC,
            branch_name="demo",
            visited_local="2026-01-02 10:00",
            lang="en",
            show_shopper=False,
        )
        return html_to_pdf(print_html(report, {}))

    _, first = clock(build)  # as `evenly report visit`: WeasyPrint imported, fonts loaded
    warm_up()  # as the web app does when it starts
    warm = statistics.median(clock(build)[1] for _ in range(5))
    report = visit_report(
        audit,
        DOC,
        branch_name="demo",
        visited_local="2026-01-02 10:00",
        lang="en",
        show_shopper=False,
    )
    html = print_html(report, {})
    floor = statistics.median(clock(lambda: html_to_pdf(html))[1] for _ in range(5))
    return first, warm, floor


def period(rows, renderer, code: str | None):
    sections = {s.key: text_in(s.title, "en")[0] for s in DOC.sections}
    items = {i.key: text_in(i.text, "en")[0] for i in DOC.items()}
    analysis, t_analysis = clock(lambda: analyse(frame_of(rows)))
    if code:
        mine = [r for r in rows if r.branch == code]
        data = BranchInput(
            code=code,
            name="demo",
            rows=mine,
            org_rows=rows,
            findings=analysis.for_branch(code),
            section_titles=sections,
            item_titles=items,
            period="2026",
        )
        report, t_build = clock(lambda: branch_report(data, lang="en"))
    else:
        report, t_build = clock(
            lambda: headoffice_report(rows, analysis, period="2026", sections=sections, lang="en")
        )
    charts, layout, again = pdf_parts(report, renderer)
    return {
        "analysis": t_analysis,
        "build": t_build,
        "charts": charts,
        "layout": layout,
        "again": again,
        "figures": len(report.figures()),
    }


def kaleido(renderer, n: int = 3) -> tuple[float, float]:
    fig = {f.key: f.figure for f in branch_report_fig()}["trend"]
    fresh = []
    for _ in range(n):
        started = time.perf_counter()
        with ChartRenderer() as once:
            once.render(fig)
        fresh.append(time.perf_counter() - started)
    kept = [clock(lambda: renderer.render(fig))[1] for _ in range(5)]
    return statistics.median(fresh), statistics.median(kept)


def branch_report_fig():
    rows = rows_from_demo(generate_demo(DOC, seed=7, start=START), DOC)
    mine = [r for r in rows if r.branch == "B02"]
    data = BranchInput(code="B02", name="demo", rows=mine, org_rows=rows, period="2026")
    return branch_report(data, lang="en").figures()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--branches", type=int, default=200)
    args = parser.parse_args()
    first, warm, floor = visit()
    print(
        f"visit PDF            {warm:6.2f} s   WeasyPrint floor {floor:6.2f} s   "
        f"ratio {warm / floor:4.2f}   (first in a fresh process {first:.2f}: WeasyPrint's "
        "import and fonts, which the web app loads when it starts)"
    )
    with ChartRenderer() as renderer:
        renderer.render(branch_report_fig()[0].figure)  # warm the browser
        demo = rows_from_demo(generate_demo(DOC, seed=7, start=START), DOC)
        for name, rows, code in (
            ("branch report", demo, "B02"),
            (f"head office {args.branches}", rows_for(args.branches), None),
        ):
            t = period(rows, renderer, code)
            whole = t["analysis"] + t["build"] + t["charts"] + t["layout"]
            print(
                f"{name:<20} {whole:6.2f} s   WeasyPrint floor {t['layout']:6.2f} s   "
                f"ratio {whole / t['layout']:4.2f}   ({len(rows)} audits; analysis "
                f"{t['analysis']:.2f}, model {t['build']:.2f}, {t['figures']} charts "
                f"{t['charts']:.2f}, layout {t['layout']:.2f}; the same PDF again, from the "
                f"caches: {t['again']:.3f})"
            )
        fresh, kept = kaleido(renderer)
        print(
            f"one chart, fresh browser {fresh:5.2f} s   kept browser {kept:5.2f} s   "
            f"ratio {fresh / kept:5.1f}"
        )


if __name__ == "__main__":
    main()
