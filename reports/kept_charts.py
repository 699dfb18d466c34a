"""Chart images kept in the database, so a process that starts cold skips the browser for
every chart any process exported before (a page's PDF, yesterday's batch, the CLI).

An image is kept under a digest of its figure, format, scale and size (``figure_digests``) and
of the plotly and kaleido that drew it: a hit is the same picture by construction, and rows
are only pruned (``audits.db.kept_results``), never invalidated. ``reports.kept_pdfs`` reads a
report's kept images before drawing and keeps the ones it drew.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import metadata

from audits.db.kept_results import keep, read_kept

from .bytes_cache import digest
from .charts import WIDTH, figure_digests
from .report_model import Report

KIND = "chart"
KEEP = 1024
"""Images kept (the most recently used): a few reports' worth per branch, ~50 KiB each."""


@cache
def _drawn_by() -> str:
    return ",".join(f"{name} {metadata.version(name)}" for name in ("plotly", "kaleido"))


def chart_key(figure_digest: str) -> str:
    return digest(KIND, _drawn_by(), WIDTH, figure_digest)


def report_digests(report: Report) -> list[str]:
    """The digests of the report's figures, as ``render_figures`` computes them."""
    figures = {f.key: f.figure for f in report.figures()}
    raster = frozenset(f.key for f in report.figures() if f.raster)
    return list(figure_digests(figures, report.lang, raster).values())


async def kept_charts(report: Report, *, now: dt.datetime) -> dict[str, bytes]:
    """The report's images that any process kept, by figure digest."""
    found = {}
    for figure_digest in report_digests(report):
        data = await read_kept(chart_key(figure_digest), now=now)
        if data is not None:
            found[figure_digest] = data
    return found


async def keep_charts(images: dict[str, bytes], *, now: dt.datetime) -> None:
    for figure_digest, data in images.items():
        await keep(chart_key(figure_digest), KIND, data, now=now, newest=KEEP)
