"""A report as print HTML and as a PDF (WeasyPrint). Pure: no database, no web framework.

``report_pdf`` is blocking (charts in chromium, layout in WeasyPrint): the web app calls it in a
worker thread, never on its event loop.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import msgspec
from jinja2 import Environment, FileSystemLoader, select_autoescape

from .bytes_cache import BytesCache, digest
from .charts import ChartRenderer, render_figures
from .formatting import format_number
from .report_model import Report, Translate, no_translation

TEMPLATES = Path(__file__).parent / "templates"
PhotoLoader = Callable[[str], str]
"""Evidence id → data URI, for the photos of a visit report."""


def _environment(translate: Translate, lang: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda s: translate(s), lambda s, p, n: translate(s if n == 1 else p), newstyle=True
    )
    env.filters["number"] = lambda value: format_number(value, lang)  # a count the template makes
    return env


def page_footer(lang: str, _: Translate = no_translation) -> str:
    """The CSS ``content`` of the page footer, "Page 3 of 12" in the reader's words and
    digits (WeasyPrint's ``persian`` counter style: "صفحهٔ ۳ از ۱۲")."""
    style = "persian" if lang == "fa" else "decimal"
    before, _sep, rest = _("Page %(page)s of %(pages)s").partition("%(page)s")
    between, _sep, after = rest.partition("%(pages)s")
    parts = [
        json.dumps(before, ensure_ascii=False),
        f"counter(page, {style})",
        json.dumps(between, ensure_ascii=False),
        f"counter(pages, {style})",
        json.dumps(after, ensure_ascii=False),
    ]
    return " ".join(p for p in parts if p != '""')


def print_html(
    report: Report, images: dict[str, str], translate: Translate = no_translation
) -> str:
    """The print HTML of a report; ``images`` maps each figure key to a data URI."""
    css = (TEMPLATES / "print.css").read_text("utf-8")
    template = _environment(translate, report.lang).get_template("print.html")
    footer = page_footer(report.lang, translate)
    return template.render(report=report, images=images, css=css, footer=footer)


def html_to_pdf(html: str, progress: Callable[[], None] | None = None) -> bytes:
    """WeasyPrint, offline: every image is a data URI, fonts come from fontconfig.
    ``progress()`` once the pages are laid out, before they are drawn."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Nothing may be fetched at render time: data URIs only, no http, no files.
    fetcher = URLFetcher(allowed_protocols={"data"})
    document = HTML(string=html, base_url=str(TEMPLATES), url_fetcher=fetcher).render()
    if progress:
        progress()
    return document.write_pdf()


_pdfs = BytesCache(64 * 1024 * 1024)  # laid-out PDFs by a digest of their print HTML
on_layout: list[Callable[[str], None]] = []
"""Called with the print HTML as each report is laid out (not taken from a cache): tests count."""
_warm = threading.Event()
_WARM_UP_HTML = '<p lang="en">Service</p><p lang="el">Υπηρεσία</p><p lang="pl">Obsługa</p>' + (
    '<p lang="fa" dir="rtl">خدمات</p>'
)


def warm_up() -> None:
    """Import WeasyPrint and lay out a few words in each script, once per process.

    The first PDF in a process otherwise pays ~0.5 s importing WeasyPrint and loading fonts
    (more than a whole visit report takes after that); the web app calls this in a background
    thread when it starts, so no reader waits for it."""
    if not _warm.is_set():
        html_to_pdf(_WARM_UP_HTML)
        _warm.set()


class Timings(msgspec.Struct):
    """Where a PDF's time went, in seconds (for the benchmark)."""

    charts: float = 0.0
    layout: float = 0.0


LAYOUT_STEPS = 2
"""Steps of ``report_pdf``'s progress after the figures: pages laid out, pages drawn."""


def report_pdf(
    report: Report,
    *,
    translate: Translate = no_translation,
    renderer: ChartRenderer | Callable[[], ChartRenderer] | None = None,
    timings: Timings | None = None,
    progress: Callable[[int, int], None] | None = None,
    known_images: Mapping[str, bytes] | None = None,
    drawn_images: dict[str, bytes] | None = None,
) -> bytes:
    """The report as a PDF: its figures exported in one browser, then laid out; a report
    whose print HTML was laid out before comes from the process's cache (same bytes).
    ``progress(done, total)`` counts each figure exported, then the ``LAYOUT_STEPS``.
    ``known_images`` and ``drawn_images`` are ``render_figures``' ``known`` and ``drawn``."""
    started = time.perf_counter()
    html = report_html(
        report,
        translate=translate,
        renderer=renderer,
        progress=progress,
        known_images=known_images,
        drawn_images=drawn_images,
    )
    charted = time.perf_counter()
    pdf = laid_out(html, report_steps(report, progress))
    if timings is not None:
        timings.charts = charted - started
        timings.layout = time.perf_counter() - charted
    return pdf


def report_html(
    report: Report,
    *,
    translate: Translate = no_translation,
    renderer: ChartRenderer | Callable[[], ChartRenderer] | None = None,
    progress: Callable[[int, int], None] | None = None,
    known_images: Mapping[str, bytes] | None = None,
    drawn_images: dict[str, bytes] | None = None,
) -> str:
    """The first half of ``report_pdf``: the figures as images, then the print HTML (which is
    everything the PDF is made of, so a digest of it names the PDF)."""
    figures = {f.key: f.figure for f in report.figures()}
    raster = frozenset(f.key for f in report.figures() if f.raster)
    total = len(figures) + LAYOUT_STEPS
    images = {}
    if figures:
        images = render_figures(
            figures,
            report.lang,
            renderer,
            (lambda done, _total: progress(done, total)) if progress else None,
            raster,
            known=known_images,
            drawn=drawn_images,
        )
    return print_html(report, images, translate)


def report_steps(
    report: Report, progress: Callable[[int, int], None] | None
) -> Callable[[int], None]:
    """``report_pdf``'s progress after the figures: ``steps(1)`` laid out, ``steps(2)`` done."""
    figures = len(report.figures())

    def steps(done: int) -> None:
        if progress:
            progress(figures + done, figures + LAYOUT_STEPS)

    return steps


def laid_out(html: str, steps: Callable[[int], None] | None = None) -> bytes:
    """The second half of ``report_pdf``: the print HTML laid out by WeasyPrint, or the PDF
    this process laid out before from the same HTML. ``steps`` as ``report_steps``'."""
    key = digest(html)
    pdf = _pdfs.get(key)
    if pdf is None:  # the same report downloaded again lays out nothing
        pdf = html_to_pdf(html, (lambda: steps(1)) if steps else None)
        _pdfs.put(key, pdf)
        for hook in on_layout:
            hook(html)
    if steps:
        steps(LAYOUT_STEPS)
    return pdf


def cached_pdf(html: str) -> bytes | None:
    """The PDF this process laid out (or was given) for ``html``, if it still has it."""
    return _pdfs.get(digest(html))


def remember_pdf(html: str, pdf: bytes) -> None:
    """A PDF laid out from ``html`` elsewhere (kept in the database), for ``laid_out``."""
    _pdfs.put(digest(html), pdf)


def clear_pdf_cache() -> None:
    _pdfs.clear()
