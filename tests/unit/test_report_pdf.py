"""Report PDFs read back: every chart present, numbers matching, page numbers, Persian text in
logical order with its charts as PNG. One kaleido browser for the whole test session."""

import base64
import html
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from reports import charts
from reports.branch_report import branch_report
from reports.charts import ChartRenderer, image_format, render_figures, shared_renderer
from reports.headoffice_report import headoffice_report
from reports.pdf import html_to_pdf, print_html, report_pdf
from reports.report_model import fmt

from ..web.report_helpers import pdf_images, pdf_page_png, pdf_pages, pdf_text
from .report_demo import Demo

# Chromium (kaleido) and WeasyPrint: seconds per test; `make test-unit` leaves them out.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo() -> Demo:
    return Demo()


def _words(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def test_headoffice_pdf_has_every_chart_the_league_numbers_and_page_numbers(demo, tmp_path):
    report = headoffice_report(
        demo.rows, demo.analysis, period="2026", sections=demo.sections(), lang="en"
    )
    pdf = report_pdf(report, renderer=shared_renderer())
    text, pages = _words(pdf), pdf_pages(pdf)
    for figure in report.figures():  # SVG charts keep their text: each title is in the PDF
        assert figure.figure["layout"]["title"]["text"] in text
    for b in demo.analysis.branches:  # a name may wrap in its cell: the code after it
        assert f"{b.n} {fmt(b.mean)} {fmt(b.adjusted_mean)} {fmt(b.shrunken)}" in text
        assert f"({b.branch})" in text
    # the plain words of the page, and the method in a note of its own
    assert "between" in text and "usual range" in text  # (table cells wrap)
    assert "How this is computed" in text and "moving range" in text
    assert "q =" not in text and "shrunken" not in text
    assert f"Page {pages} of {pages}" in text and pages >= 6
    assert "Contents" in text and "Fair league table ." in text
    png = pdf_page_png(pdf, 4, tmp_path / "page.png")
    assert png.stat().st_size > 10_000  # a rendered page, not a blank one


def test_persian_branch_pdf_has_png_charts_and_persian_in_logical_order(demo):
    report = branch_report(demo.branch("B02", lang="fa"), lang="fa")
    pdf = report_pdf(report, renderer=shared_renderer())
    assert image_format("fa") == ("png", 2)
    assert pdf_images(pdf) == len(report.figures()) == 5
    text = pdf_text(pdf)
    for key in ("arrival", "welcome"):  # Persian section titles, read in logical order
        title = next(s.title["fa"] for s in demo.doc.sections if s.key == key)
        assert title in text.replace("\u202b", "").replace("\u202c", "")


def test_english_charts_are_vector(demo):
    report = branch_report(demo.branch("B02"), lang="en")
    # Plotly draws a heatmap's cells as one embedded bitmap inside its SVG; the rest is vector.
    assert pdf_images(report_pdf(report, renderer=shared_renderer())) == 1


def test_pdf_fetches_nothing_from_the_network():
    html = '<p>before</p><img src="http://127.0.0.1:9/x.png"><p>after</p>'
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=html_to_pdf(html), capture_output=True
    ).stdout.decode()
    assert "before" in text and "after" in text  # laid out without waiting on the fetch


def test_print_html_embeds_every_figure_as_a_data_uri(demo):
    report = branch_report(demo.branch("B01"), lang="en")
    images = {f.key: f"data:image/png;base64,{f.key}" for f in report.figures()}
    html = print_html(report, images)
    assert all(f'src="{uri}"' in html for uri in images.values())
    assert "http://" not in html.replace('xmlns="http://www.w3.org', "")


def test_figures_exported_together_each_land_under_their_own_key(demo):
    report = branch_report(demo.branch("B02"), lang="en")
    figures = {f.key: f.figure for f in report.figures()}
    steps: list[tuple[int, int]] = []
    charts.clear_image_cache()  # exported here, not remembered from an earlier test
    images = render_figures(figures, "en", shared_renderer(), lambda *s: steps.append(s))
    assert list(images) == list(figures)  # the report's order, whichever finished first
    for key, figure in figures.items():
        svg = base64.b64decode(images[key].split(",", 1)[1]).decode()
        title = figure["layout"]["title"]["text"]
        assert html.escape(title, quote=False) in svg, key
    assert sorted(steps) == [(n, len(figures)) for n in range(1, len(figures) + 1)]


def test_two_reports_at_once_each_get_all_their_charts(demo):
    """Two readers downloading PDFs at the same moment share the one kept browser."""
    reports = [branch_report(demo.branch(code), lang="en") for code in ("B01", "B03")]
    with ThreadPoolExecutor(2) as pool:
        pdfs = list(pool.map(lambda r: report_pdf(r, renderer=shared_renderer()), reports))
    for report, pdf in zip(reports, pdfs, strict=True):
        text = _words(pdf)
        assert " ".join(report.title.split()) in text
        for figure in report.figures():
            assert figure.figure["layout"]["title"]["text"] in text


class CountingRenderer:
    """The shared renderer, counting the figures it is asked to export."""

    def __init__(self) -> None:
        self.exported = 0

    def render_many(self, jobs, progress=None):
        self.exported += len(jobs)
        return shared_renderer().render_many(jobs, progress)


def test_a_figure_exported_once_is_not_exported_again(demo):
    """A second download of the same report (or a second reader) reuses the images."""
    figures = {f.key: f.figure for f in branch_report(demo.branch("B04"), lang="en").figures()}
    charts.clear_image_cache()
    counting = CountingRenderer()
    first = render_figures(figures, "en", counting)
    assert counting.exported == len(figures)
    again = render_figures(figures, "en", counting)
    assert counting.exported == len(figures) and again == first
    persian = render_figures(figures, "fa", counting)  # PNG, not the SVG: exported anew
    assert counting.exported == 2 * len(figures)
    assert all(uri.startswith("data:image/png") for uri in persian.values())


def test_the_same_report_twice_is_laid_out_once(demo):
    report = branch_report(demo.branch("B05"), lang="en")
    first = report_pdf(report, renderer=shared_renderer())
    assert report_pdf(report, renderer=shared_renderer()) is first  # the very bytes, kept
    greek = report_pdf(branch_report(demo.branch("B05"), lang="el"), renderer=shared_renderer())
    assert greek is not first and greek != first


def _same_picture(svg: str) -> str:
    """An SVG with Plotly's random ids (the figure's and each trace's, drawn anew for every
    export) numbered in order of appearance instead: two exports of one figure compare equal."""
    found = re.findall(r'defs-([0-9a-f]{6})|trace([0-9a-f]{6})|"cb([0-9a-f]{6}) colorbar', svg)
    for n, uid in enumerate(dict.fromkeys(u for group in found for u in group if u)):
        svg = svg.replace(uid, f"uid{n}")
    return svg


def _exported(renderer: ChartRenderer, figures: dict, lang: str) -> dict[str, bytes]:
    charts.clear_image_cache()  # exported here, not remembered from an earlier export
    images = render_figures(figures, lang, renderer)
    return {key: base64.b64decode(uri.split(",", 1)[1]) for key, uri in images.items()}


def test_figures_share_one_page_load_and_come_out_as_on_a_fresh_page(demo, monkeypatch):
    """plotly.js is loaded once for a report's figures (not reloaded after each, as kaleido
    does), and a figure exported after others is the picture a freshly loaded page exports."""
    figures = {f.key: f.figure for f in branch_report(demo.branch("B06"), lang="en").figures()}
    persian = {f.key: f.figure for f in branch_report(demo.branch("B06"), lang="fa").figures()}
    with ChartRenderer() as renderer:
        monkeypatch.setattr(charts, "RELOAD_EVERY", 1)  # kaleido's way: a fresh page each
        fresh = _exported(renderer, figures, "en")
        fresh_png = _exported(renderer, persian, "fa")
        assert renderer.reloads == len(figures) + len(persian)
        monkeypatch.undo()
        reloads = renderer.reloads
        shared = _exported(renderer, figures, "en")
        shared_png = _exported(renderer, persian, "fa")
        assert renderer.reloads == reloads  # ten figures, one page load
    for key in figures:
        assert _same_picture(shared[key].decode()) == _same_picture(fresh[key].decode()), key
        assert shared_png[key] == fresh_png[key], key  # PNG: the very bytes


def test_a_long_lived_browser_reloads_its_page_now_and_then(demo, monkeypatch):
    """A web process's browser exports figures for days: its page is loaded afresh every
    ``RELOAD_EVERY`` figures, and the figures after a reload are whole."""
    figures = {f.key: f.figure for f in branch_report(demo.branch("B07"), lang="en").figures()}
    monkeypatch.setattr(charts, "RELOAD_EVERY", 2)
    with ChartRenderer() as renderer:
        svgs = _exported(renderer, figures, "en")
        assert renderer.reloads == len(figures) // 2
    for key, figure in figures.items():
        title = figure["layout"]["title"]["text"]
        assert html.escape(title, quote=False) in svgs[key].decode(), key
