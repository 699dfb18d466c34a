"""What the report pages share: the reader's translator, the PDF made in a worker thread, a
table as CSV, and the page template rendering the report model."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from litestar import Response
from litestar.exceptions import NotFoundException
from litestar.response import Template

from audits.boundary.csv_guard import GuardedWriter
from reports.charts import shared_renderer, start_shared_renderer_soon
from reports.kept_pdfs import kept_report_pdf, kept_report_pdf_row
from reports.report_model import Report, Translate
from web.deps import Page
from web.i18n import gettext_for
from web.plotly_locale import plotly_locale
from web.plotly_static import PLOTLY_JS_URL


def translator(lang: str) -> Translate:
    """The interface translation for ``lang`` (English until the catalogs arrive)."""
    return gettext_for(lang)


def query_string(params: dict[str, Any]) -> str:
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return f"?{urlencode(kept)}" if kept else ""


def report_page(
    report: Report, page: Page, base_url: str, query: str = "", **extra: Any
) -> Template:
    if report.figures():  # its PDF is likely next: have the chart browser ready
        start_shared_renderer_soon()
    context = {
        "page": page,
        "report": report,
        "base_url": base_url,
        "query": query,
        "plotly_js": PLOTLY_JS_URL,
        "plotly_locale": plotly_locale(page.lang),
        **extra,
    }
    return Template("reports/report.html", context=context)


async def pdf_bytes(
    report: Report, translate: Translate, progress: Callable[[int, int], None] | None = None
) -> bytes:
    """Charts and layout take seconds of CPU: a worker thread, never the event loop. Charts
    any process exported before are read from the database; the kept browser starts only for
    the others (a visit report has none). ``progress`` as ``report_pdf``'s."""
    return await kept_report_pdf(
        report, translate=translate, renderer=shared_renderer, progress=progress
    )


async def kept_pdf_row(
    report: Report, translate: Translate, progress: Callable[[int, int], None] | None = None
) -> str:
    """``pdf_bytes``, kept: the key of the row that holds the PDF (a job's result)."""
    return await kept_report_pdf_row(
        report, translate=translate, renderer=shared_renderer, progress=progress
    )


async def pdf_response(report: Report, filename: str, translate: Translate) -> Response:
    pdf = await pdf_bytes(report, translate)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}.pdf"'},
    )


def csv_response(report: Report, key: str, filename: str) -> Response:
    table = report.table(key)
    if table is None:
        raise NotFoundException(f"This report has no table {key!r}.")
    out = io.StringIO()
    writer = GuardedWriter(out)
    writer.writerow(table.csv_columns or table.columns)
    writer.writerows(table.csv)
    return Response(
        out.getvalue().encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}-{key}.csv"'},
    )
