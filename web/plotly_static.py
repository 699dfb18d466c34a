"""plotly.js, served once from ``/static`` out of the installed plotly package.

Figures are embedded with ``include_plotlyjs=False`` and every page that shows one loads this
single file; the version in the URL lets browsers keep it for a year.
"""

from __future__ import annotations

from pathlib import Path

import plotly
from litestar import get
from litestar.datastructures import CacheControlHeader
from litestar.response import File

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
PLOTLY_JS_URL = f"/static/plotly/{plotly.__version__}/plotly.min.js"
YEAR = 365 * 24 * 3600


@get(
    PLOTLY_JS_URL,
    include_in_schema=False,
    cache_control=CacheControlHeader(max_age=YEAR, public=True),
    sync_to_thread=False,
)
def plotly_js() -> File:
    """The package's own minified bundle (nothing else of its folder is served)."""
    return File(PLOTLY_JS, media_type="text/javascript", content_disposition_type="inline")
