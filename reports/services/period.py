"""What the branch and head-office reports share: the published rows of a period read once,
their analysis (a mixed-model fit, CPU seconds: kept in the database by ``kept_analyses`` for
every process, fitted in a worker thread when none has it yet), the period's label."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from reports import report_data
from reports.analysis_cache import AnalysisCache
from reports.formatting import format_day
from reports.kept_analyses import kept_analysis
from reports.report_data import Filters
from reports.report_model import Translate
from reports.results import AnalysisResult
from reports.rows import AuditRow, frame_of

Reached = Callable[[str], Awaitable[None]]
"""Told ``"rows"`` and ``"analysis"`` as each is done (a job moves its bar)."""


async def rows_and_analysis(
    filters: Filters, cache: AnalysisCache | None, reached: Reached | None = None
) -> tuple[list[AuditRow], AnalysisResult]:
    """The rows feed both the descriptive figures and the analysis. With ``cache`` (the web
    app's), a page, its PDF and its CSVs share the rows and the analysis without reading the
    database again; the CLI passes none. Either way the fit itself is made once for every
    process (``kept_analyses``). ``reached`` hears of each step made here, not of a cached
    one."""
    codes_only = await report_data.staff_codes_only()

    async def compute() -> tuple[list[AuditRow], AnalysisResult]:
        rows = await report_data.load_rows(filters, staff_codes_only=codes_only)
        if reached:
            await reached("rows")
        analysis = await kept_analysis(frame_of(rows))
        if reached:
            await reached("analysis")
        return rows, analysis

    if cache is None:
        return await compute()
    fingerprint = await report_data.audits_fingerprint()
    return await cache.get((filters, codes_only), fingerprint, compute)


def period_label(filters: Filters, _: Translate, lang: str = "en") -> str:
    """The period as the reader writes dates (Solar Hijri in Persian); "…" for an open end."""
    if filters.start or filters.end:
        start = format_day(filters.start, lang) if filters.start else "…"
        end = format_day(filters.end, lang) if filters.end else "…"
        return f"{start} – {end}"
    return _("all published visits")


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
