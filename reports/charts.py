"""Plotly figures as images for the PDF, through kaleido and Debian's chromium.

Starting chromium costs seconds, a figure in a running one a fraction of that, so a
``ChartRenderer`` keeps one browser open (on an event loop of its own, in a background thread)
for as long as it lives: a whole report at least, a whole process or test session at best.
Nothing is fetched: plotly.js comes from the installed package and MathJax is off.

Persian: WeasyPrint draws SVG text glyph by glyph, so Arabic-script labels would come out
unjoined. For ``fa`` charts are PNG at scale 2 instead; chromium shapes the text itself.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import plotly

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
RASTER_LANGUAGES = frozenset({"fa"})
WIDTH, HEIGHT = 760, 420


class ChartRenderer:
    """One kept-alive kaleido browser; ``render`` is safe to call from any thread."""

    def __init__(self) -> None:
        import kaleido

        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._kaleido = kaleido.Kaleido(n=1, mathjax=False, plotlyjs=str(PLOTLY_JS))
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
        result = self._call(self._kaleido.calc_fig(figure, opts=opts))
        return result if isinstance(result, bytes) else str(result).encode()

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


def image_format(lang: str, *, raster: bool = False) -> tuple[str, float]:
    """(format, scale) for charts in a report in ``lang``."""
    return ("png", 2) if raster or lang in RASTER_LANGUAGES else ("svg", 1)


def data_uri(data: bytes, fmt: str) -> str:
    mime = "image/svg+xml" if fmt == "svg" else "image/png"
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def render_figures(
    figures: dict[str, dict[str, Any]],
    lang: str,
    renderer: ChartRenderer | None = None,
    progress: Callable[[int, int], None] | None = None,
    raster: frozenset[str] = frozenset(),
) -> dict[str, str]:
    """Each figure (by key) as a data URI, all in one browser: the one given, or a fresh one
    kept for these figures only. Figures named in ``raster`` are PNG in every language.
    ``progress(done, total)`` after each figure."""
    own = renderer is None
    renderer = renderer or ChartRenderer()
    images = {}
    try:
        for key, fig in figures.items():
            fmt, scale = image_format(lang, raster=key in raster)
            data = renderer.render(fig, fmt=fmt, scale=scale, height=_height(fig))
            images[key] = data_uri(data, fmt)
            if progress:
                progress(len(images), len(figures))
        return images
    finally:
        if own:
            renderer.close()


def _height(figure: dict[str, Any]) -> int:
    """The figure's own height (a long league table is taller than a trend)."""
    return int(figure.get("layout", {}).get("height") or HEIGHT)


_shared: ChartRenderer | None = None
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


def close_shared_renderer() -> None:
    global _shared
    with _shared_lock:
        if _shared is not None:
            _shared.close()
            _shared = None
