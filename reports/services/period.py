"""What the branch and head-office reports share: the published rows of a period read once,
their analysis (a mixed-model fit, CPU seconds: kept in the database by ``kept_analyses`` for
every process, fitted in a worker thread when none has it yet), the period's label."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from reports import report_data
from reports.analysis_cache import AnalysisCache
from reports.formatting import format_day
from reports.kept_analyses import STANDARD, analysis_key, is_kept, kept_analysis
from reports.report_data import Filters
from reports.report_model import Translate
from reports.results import AnalysisResult
from reports.rows import AuditRow, frame_of

Reached = Callable[[str], Awaitable[None]]
"""Told ``"rows"`` and ``"analysis"`` as each is done (a job moves its bar)."""
Fitting = Callable[[float], None]
"""Told the share of the analysis done while it is fitted, from the thread fitting it (a job
moves its bar between ``"rows"`` and ``"analysis"``); it should return at once."""


async def rows_and_analysis(
    filters: Filters,
    cache: AnalysisCache | None,
    reached: Reached | None = None,
    fitting: Fitting | None = None,
) -> tuple[list[AuditRow], AnalysisResult]:
    """The rows feed both the descriptive figures and the analysis. With ``cache`` (the web
    app's), a page, its PDF and its CSVs share the rows and the analysis without reading the
    database again; the CLI passes none. Either way the fit itself is made once for every
    process (``kept_analyses``). ``reached`` hears of each step made here, not of a cached
    one; ``fitting`` of a fit made here."""
    codes_only = await report_data.staff_codes_only()

    async def compute() -> tuple[list[AuditRow], AnalysisResult]:
        rows = await report_data.load_rows(filters, staff_codes_only=codes_only)
        if reached:
            await reached("rows")
        analysis = await kept_analysis(frame_of(rows), share=fitting)
        if reached:
            await reached("analysis")
        return rows, analysis

    if cache is None:
        return await compute()
    fingerprint = await report_data.audits_fingerprint()
    return await cache.get((filters, codes_only), fingerprint, compute)


FIT_IN_REQUEST = 20_000
"""Audits in a period whose analysis, when no process has it yet, is fitted in the request (a
few seconds); a larger one's is fitted by a worker (``analysis_ready``), the page waiting."""


async def analysis_ready(filters: Filters, cache: AnalysisCache | None) -> bool:
    """Whether a report over ``filters`` can be built now without a long fit: its analysis is
    in ``cache`` or kept, or the period is small enough to fit in the request."""
    codes_only = await report_data.staff_codes_only()
    fingerprint = await report_data.audits_fingerprint()
    if cache is not None and cache.has((filters, codes_only), fingerprint):
        return True
    rows = await report_data.load_rows(filters, staff_codes_only=codes_only)
    if len(rows) > FIT_IN_REQUEST and not await is_kept(frame_of(rows)):
        return False
    if cache is not None:  # the report built next reads these rows, not the database again

        async def with_these_rows() -> tuple[list[AuditRow], AnalysisResult]:
            return rows, await kept_analysis(frame_of(rows))

        await cache.get((filters, codes_only), fingerprint, with_these_rows)
    return True


async def fit_period(
    filters: Filters, reached: Reached | None = None, fitting: Fitting | None = None
) -> str:
    """Fit and keep the analysis of ``filters``' period (a job's work); its kept key.
    ``reached`` and ``fitting`` as ``rows_and_analysis``'."""
    codes_only = await report_data.staff_codes_only()
    rows = await report_data.load_rows(filters, staff_codes_only=codes_only)
    if reached:
        await reached("rows")
    frame = frame_of(rows)
    await kept_analysis(frame, share=fitting)
    if reached:
        await reached("analysis")
    return analysis_key(frame, standard=STANDARD)


def period_label(filters: Filters, _: Translate, lang: str = "en") -> str:
    """The period as the reader writes dates (Solar Hijri in Persian); "…" for an open end."""
    if filters.start or filters.end:
        start = format_day(filters.start, lang) if filters.start else "…"
        end = format_day(filters.end, lang) if filters.end else "…"
        return f"{start} – {end}"
    return _("all published visits")


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
