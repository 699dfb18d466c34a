"""Laid-out PDFs kept in the database, so a process that starts cold (``evenly report``, a new
worker, another app process) does not lay out again a PDF any process laid out before, and
need not even import WeasyPrint.

A PDF is kept under a digest of its print HTML (``reports.pdf.report_html``: the report's
text and numbers in the reader's language and digits, the chart images, the CSS) and of what
lays HTML out (``layout_fingerprint``: WeasyPrint and the Python packages it draws with, the
pango, harfbuzz, fontconfig and freetype libraries, the font folders). So a kept PDF is the
one its reader's own request would have laid out, byte for byte in content:

Access is preserved by construction. The HTML is built from what the reader may see (a
branch manager's report hides who visited; head office's names the shoppers), so two readers
whose views differ in anything have different HTML, so different keys: a kept PDF only
reaches a reader whose own request produced the identical HTML. Nothing but the digest is
looked up; a hit tells the reader no more than their own report says (that someone asked for
the same report is all a faster answer could tell, as with the process's own cache).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from functools import cache
from glob import glob
from importlib import metadata
from pathlib import Path

import anyio.to_thread

from audits.db.kept_results import keep, read_kept

from .bytes_cache import digest
from .charts import ChartRenderer
from .kept_charts import keep_charts, kept_charts
from .pdf import LAYOUT_STEPS, cached_pdf, laid_out, remember_pdf, report_html, report_steps
from .report_model import Report, Translate, no_translation

KIND = "laid_out"
"""A PDF job's result is one of these rows too (``kept_report_pdf_row``): the same bytes are
not kept twice."""
KEEP = 256
"""PDFs kept (the most recently used): a month of a chain's branch reports, ~100 KiB each."""

LAYOUT_PACKAGES = ("weasyprint", "pydyf", "fonttools", "tinycss2", "cssselect2", "tinyhtml5")
LAYOUT_LIBRARIES = ("libpango-1.0", "libharfbuzz", "libfontconfig", "libfreetype")
FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts", "~/.local/share/fonts")
LIBRARY_FOLDERS = ("/usr/lib/*-linux-gnu", "/usr/lib", "/usr/lib64", "/usr/local/lib")


@cache
def layout_fingerprint() -> str:
    """What turns the same HTML into different bytes, besides the HTML: the layout packages'
    versions, the native libraries' versioned file names, and each font folder's modification
    time (as fontconfig itself tells whether its cache is current: a font added or removed
    changes its folder's). Read without importing WeasyPrint, in about a millisecond."""
    packages = [f"{name} {metadata.version(name)}" for name in LAYOUT_PACKAGES]
    libraries = sorted(
        os.path.basename(os.path.realpath(found))
        for folder in LIBRARY_FOLDERS
        for name in LAYOUT_LIBRARIES
        for found in glob(f"{folder}/{name}.so.*")
    )
    fonts = []
    for top in FONT_FOLDERS:
        for folder, _dirs, _files in os.walk(Path(top).expanduser()):
            fonts.append((folder, os.stat(folder).st_mtime_ns))
    return digest(packages, libraries, sorted(fonts))


def pdf_key(html: str) -> str:
    return digest(KIND, layout_fingerprint(), html)


async def kept_report_pdf(
    report: Report,
    *,
    translate: Translate = no_translation,
    renderer: ChartRenderer | Callable[[], ChartRenderer] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """``reports.pdf.report_pdf`` with what any process kept: the report's chart images (a
    callable ``renderer``, ``shared_renderer``, starts a browser only for one nobody drew) and
    the PDF of the same print HTML (WeasyPrint is imported only when nobody kept it). Charts
    and layout run in a worker thread (seconds of CPU)."""
    pdf, _key = await _kept_report_pdf(report, translate, renderer, progress)
    return pdf


async def kept_report_pdf_row(
    report: Report,
    *,
    translate: Translate = no_translation,
    renderer: ChartRenderer | Callable[[], ChartRenderer] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> str:
    """``kept_report_pdf``'s PDF kept (it is, unless this process's memory had it and the row
    was pruned since), and the key of its row: a job's result names that row rather than
    keeping the same bytes again under its own key."""
    pdf, key = await _kept_report_pdf(report, translate, renderer, progress)
    await keep(key, KIND, pdf, now=dt.datetime.now(dt.UTC), newest=KEEP)  # nothing if kept
    return key


async def _kept_report_pdf(
    report: Report,
    translate: Translate,
    renderer: ChartRenderer | Callable[[], ChartRenderer] | None,
    progress: Callable[[int, int], None] | None,
) -> tuple[bytes, str]:
    now = dt.datetime.now(dt.UTC)
    known = await kept_charts(report, now=now) if report.figures() else {}
    drawn: dict[str, bytes] = {}

    def html() -> str:
        return report_html(
            report,
            translate=translate,
            renderer=renderer,
            progress=progress,
            known_images=known,
            drawn_images=drawn,
        )

    page = await anyio.to_thread.run_sync(html)
    await keep_charts(drawn, now=now)
    steps = report_steps(report, progress)
    key = pdf_key(page)
    pdf = cached_pdf(page) or await read_kept(key, now=now)
    if pdf is not None:
        remember_pdf(page, pdf)
        steps(LAYOUT_STEPS)
        return pdf, key
    pdf = await anyio.to_thread.run_sync(laid_out, page, steps)
    await keep(key, KIND, pdf, now=now, newest=KEEP)
    return pdf, key
