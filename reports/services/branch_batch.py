"""Every branch's PDF in one process: one analysis, one kept browser, layout beside the charts.

Reports are built one after the other on the event loop (the database, and the analysis read
once through an ``AnalysisCache`` kept for the whole batch); each PDF is made in a worker
thread, two at a time, so one report's layout (WeasyPrint, CPU) runs while the next one's
charts are exported (chromium, another process). At most ``AHEAD`` built reports wait for
their PDF, so memory stays flat however many branches there are. Charts kept in the database
by any process are not drawn again, and the ones drawn are kept (``reports.kept_charts``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import msgspec

from audits.org.users import CurrentUser
from reports import report_data
from reports.analysis_cache import AnalysisCache
from reports.charts import ChartRenderer, shared_renderer
from reports.kept_charts import keep_charts, kept_charts
from reports.pdf import report_pdf
from reports.report_data import Filters
from reports.report_model import Translate

from .branch import build_branch

WORKERS = 2
AHEAD = 4


class BranchPdf(msgspec.Struct, frozen=True):
    code: str
    pdf: bytes

    @property
    def filename(self) -> str:
        return f"branch-{re.sub(r'[^A-Za-z0-9._-]', '_', self.code)}.pdf"


async def branch_pdfs(
    filters: Filters,
    user: CurrentUser,
    *,
    lang: str,
    _: Translate,
    done: Callable[[BranchPdf, int], None],
    codes: list[str] | None = None,
    renderer: ChartRenderer | None = None,
) -> int:
    """The PDF of each branch in ``codes`` (default: every branch) as ``user`` may read it,
    handed to ``done(pdf, total)`` in code order as each is made; returns how many."""
    codes = await report_data.branch_codes() if codes is None else codes
    analyses = AnalysisCache(size=1, max_age=float("inf"))  # the batch's one analysis
    draw_with = renderer or shared_renderer  # started at the first chart no process kept
    waiting: deque[tuple[str, Future[bytes], dict[str, bytes]]] = deque()
    now = dt.datetime.now(dt.UTC)

    async def finish_one() -> None:
        code, future, drawn = waiting.popleft()
        done(BranchPdf(code, await asyncio.wrap_future(future)), len(codes))
        await keep_charts(drawn, now=now)  # for the next process that makes this PDF

    with ThreadPoolExecutor(WORKERS, thread_name_prefix="branch-pdf") as pool:
        for code in codes:
            report = await build_branch(code, filters, user, lang=lang, _=_, analyses=analyses)
            known = await kept_charts(report, now=now)
            drawn: dict[str, bytes] = {}
            future = pool.submit(
                report_pdf,
                report,
                translate=_,
                renderer=draw_with,
                known_images=known,
                drawn_images=drawn,
            )
            waiting.append((code, future, drawn))
            if len(waiting) > AHEAD:
                await finish_one()
        while waiting:
            await finish_one()
    return len(codes)
