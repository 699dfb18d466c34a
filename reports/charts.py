"""Plotly figures as images for the PDF, through kaleido and Debian's chromium.

Starting chromium costs seconds, a figure in a running one a fraction of that, so a
``ChartRenderer`` keeps one browser open (on an event loop of its own, in a background thread)
for as long as it lives: a whole report at least, a whole process or test session at best.
It holds one tab, whose page loads plotly.js once for many figures. kaleido reloads its tab
after each figure (parsing plotly.js again: several times what the figure itself costs), but
an SVG or PNG export leaves nothing behind on the page (``Plotly.toImage`` draws into an
element of its own and purges it), so here a tab is reloaded only every ``RELOAD_EVERY``
figures, to bound what a long-lived browser accumulates. Nothing is fetched: plotly.js comes
from the installed package and MathJax is off.

Persian: WeasyPrint draws SVG text glyph by glyph, so Arabic-script labels would come out
unjoined. For ``fa`` charts are PNG at scale 2 instead; chromium shapes the text itself.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import logging
import threading
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import plotly

from .bytes_cache import BytesCache, digest

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
RASTER_LANGUAGES = frozenset({"fa"})
WIDTH, HEIGHT = 760, 420
TABS = 1
RELOAD_EVERY = 200
"""Figures a tab exports between reloads of its page (kaleido reloads it after every one)."""


class ChartRenderer:
    """One kept-alive kaleido browser; ``render`` is safe to call from any thread."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._kaleido = _one_page_kaleido()(n=TABS, mathjax=False, plotlyjs=str(PLOTLY_JS))
        self._call(self._kaleido.open())
        self._closed = False

    def _call(self, coroutine, timeout: float = 120.0):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def render(
        self,
        figure: dict[str, Any],
        *,
        fmt: str = "svg",
        width: int = WIDTH,
        height: int = HEIGHT,
        scale: float = 1,
    ) -> bytes:
        """The figure as SVG or PNG bytes."""
        opts = {"format": fmt, "width": width, "height": height, "scale": scale}
        return _as_bytes(self._call(self._kaleido.calc_fig(figure, opts=opts)))

    def render_many(
        self,
        jobs: dict[str, tuple[dict[str, Any], dict[str, Any]]],
        progress: Callable[[str], None] | None = None,
    ) -> dict[str, bytes]:
        """Several figures at once, one per free tab: ``jobs`` maps a key to (figure, opts as
        for ``render``). ``progress(key)`` as each one is done (on the renderer's thread)."""

        async def one(key: str, figure: dict[str, Any], opts: dict[str, Any]) -> bytes:
            full = {"format": "svg", "width": WIDTH, "height": HEIGHT, "scale": 1, **opts}
            data = _as_bytes(await self._kaleido.calc_fig(figure, opts=full))
            if progress:
                progress(key)
            return data

        async def every() -> list[bytes]:
            return await asyncio.gather(*(one(key, f, o) for key, (f, o) in jobs.items()))

        return dict(zip(jobs, self._call(every(), timeout=120.0 + 30.0 * len(jobs)), strict=True))

    @property
    def reloads(self) -> int:
        """Page reloads so far (each tab's first load not counted)."""
        return int(self._kaleido.reloads)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._call(self._kaleido.close(), timeout=30)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)

    def __enter__(self) -> ChartRenderer:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


@cache
def _one_page_kaleido() -> type:
    """kaleido's browser, its tabs reloaded every ``RELOAD_EVERY`` figures instead of after
    each one (kaleido is imported here: a tenth of a second, for chromium's users only)."""
    import kaleido

    class OnePageKaleido(kaleido.Kaleido):
        reloads = 0

        async def _return_kaleido_tab(self, tab: Any) -> None:
            # kaleido's (private) step after every figure, whose own reloads the page each
            # time; if kaleido stops calling it, the reload-counting test in
            # tests/unit/test_report_pdf.py fails (the figures stay right, only slower)
            tab.figures_since_load = getattr(tab, "figures_since_load", 0) + 1
            if tab.figures_since_load >= RELOAD_EVERY:
                await tab.reload()
                tab.figures_since_load = 0
                self.reloads += 1
            await self.tabs_ready.put(tab)

    return OnePageKaleido


def image_format(lang: str, *, raster: bool = False) -> tuple[str, float]:
    """(format, scale) for charts in a report in ``lang``."""
    return ("png", 2) if raster or lang in RASTER_LANGUAGES else ("svg", 1)


def data_uri(data: bytes, fmt: str) -> str:
    mime = "image/svg+xml" if fmt == "svg" else "image/png"
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def figure_digests(
    figures: dict[str, dict[str, Any]], lang: str, raster: frozenset[str] = frozenset()
) -> dict[str, str]:
    """Each figure's digest (by key): the figure, its format, scale and size, so an image kept
    under it is the same picture by construction."""
    return {key: digest(fig, _options(key, fig, lang, raster)) for key, fig in figures.items()}


def _options(key: str, fig: dict[str, Any], lang: str, raster: frozenset[str]) -> dict[str, Any]:
    fmt, scale = image_format(lang, raster=key in raster)
    return {"format": fmt, "scale": scale, "height": _height(fig)}


def render_figures(
    figures: dict[str, dict[str, Any]],
    lang: str,
    renderer: ChartRenderer | Callable[[], ChartRenderer] | None = None,
    progress: Callable[[int, int], None] | None = None,
    raster: frozenset[str] = frozenset(),
    *,
    known: Mapping[str, bytes] | None = None,
    drawn: dict[str, bytes] | None = None,
) -> dict[str, str]:
    """Each figure (by key) as a data URI, all in one browser: the one given (or the one a
    callable given returns: a browser is started only when a figure is missing), or a fresh one
    kept for these figures only. Figures named in ``raster`` are PNG in every language.
    A figure exported before (same figure, format and size) is not exported again: ``known``
    holds images by digest (``figure_digests``) that any process exported, and the process keeps
    its own. ``drawn`` receives the images exported here, by digest. ``progress(done, total)``
    after each figure."""
    jobs, formats, rendered = {}, {}, {}
    digests = figure_digests(figures, lang, raster)
    for key, fig in figures.items():
        opts = _options(key, fig, lang, raster)
        formats[key] = opts["format"]
        cached = (known or {}).get(digests[key]) or _images.get(digests[key])
        if cached is not None:  # the same figure again: a second download, a second reader
            rendered[key] = cached
        else:
            jobs[key] = (fig, opts)
    done: list[str] = list(rendered)

    def finished(key: str) -> None:
        done.append(key)
        if progress:
            progress(len(done), len(figures))

    if progress and rendered:
        progress(len(rendered), len(figures))
    if jobs:
        fresh = _export(jobs, renderer, finished)
        for key, data in fresh.items():
            _images.put(digests[key], data)
            if drawn is not None:
                drawn[digests[key]] = data
        rendered.update(fresh)
    # In the figures' own order, whichever finished first.
    return {key: data_uri(rendered[key], formats[key]) for key in figures}


def _export(
    jobs: dict[str, tuple[dict[str, Any], dict[str, Any]]],
    renderer: ChartRenderer | Callable[[], ChartRenderer] | None,
    finished: Callable[[str], None],
) -> dict[str, bytes]:
    if callable(renderer):
        renderer = renderer()
    own = renderer is None
    renderer = renderer or ChartRenderer()
    try:
        return renderer.render_many(jobs, finished)
    finally:
        if own:
            renderer.close()


_images = BytesCache(32 * 1024 * 1024)  # exported figures by digest


def clear_image_cache() -> None:
    _images.clear()


def _as_bytes(result: Any) -> bytes:
    return result if isinstance(result, bytes) else str(result).encode()


def _height(figure: dict[str, Any]) -> int:
    """The figure's own height (a long league table is taller than a trend)."""
    return int(figure.get("layout", {}).get("height") or HEIGHT)


_shared: ChartRenderer | None = None
_starting = False
_shared_lock = threading.Lock()


def shared_renderer() -> ChartRenderer:
    """A process-wide renderer, started on first use and closed when the process exits (so a
    web process, or a whole test session, keeps one browser)."""
    global _shared
    with _shared_lock:
        if _shared is None or _shared._closed:
            _shared = ChartRenderer()
            atexit.register(close_shared_renderer)
        return _shared


def start_shared_renderer_soon() -> None:
    """Start the process-wide renderer in a background thread if it is not running: a reader
    who opens a report page is likely to download its PDF next, and should not wait seconds
    for chromium to start then."""
    global _starting
    with _shared_lock:
        if (_shared is not None and not _shared._closed) or _starting:
            return
        _starting = True

    def start() -> None:
        global _starting
        try:
            shared_renderer()
        except Exception:  # the PDF request that needs it will retry and report the error
            logging.getLogger(__name__).exception("Could not start the chart renderer")
        finally:
            _starting = False

    threading.Thread(target=start, name="chart-renderer-start", daemon=True).start()


def close_shared_renderer() -> None:
    global _shared
    with _shared_lock:
        if _shared is not None:
            _shared.close()
            _shared = None
