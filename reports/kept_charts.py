"""Chart images kept in the database, so a process that starts cold skips the browser for
every chart any process exported before (a page's PDF, yesterday's batch, the CLI).

An image is kept under a digest of its figure, format, scale and size (``figure_digests``) and
of the plotly and kaleido that drew it: a hit is the same picture by construction, and rows
are only pruned (``audits.db.kept_results``), never invalidated. ``kept_report_pdf`` is
``report_pdf`` with the report's kept images read first and the ones it drew kept after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from importlib import metadata

import anyio.to_thread

from audits.db.kept_results import keep, read_kept

from .bytes_cache import digest
from .charts import WIDTH, ChartRenderer, figure_digests
from .pdf import report_pdf
from .report_model import Report, Translate, no_translation

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


async def kept_report_pdf(
    report: Report,
    *,
    translate: Translate = no_translation,
    renderer: ChartRenderer | Callable[[], ChartRenderer] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """``report_pdf`` in a worker thread (seconds of CPU), with the images other processes
    exported: a callable ``renderer`` (``shared_renderer``) starts a browser only when one is
    missing."""
    now = dt.datetime.now(dt.UTC)
    known = await kept_charts(report, now=now) if report.figures() else {}
    drawn: dict[str, bytes] = {}

    def make() -> bytes:
        return report_pdf(
            report,
            translate=translate,
            renderer=renderer,
            progress=progress,
            known_images=known,
            drawn_images=drawn,
        )

    pdf = await anyio.to_thread.run_sync(make)
    await keep_charts(drawn, now=now)
    return pdf
