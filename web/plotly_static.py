"""plotly.js, served once from ``/static`` out of the installed plotly package.

Figures are embedded with ``include_plotlyjs=False`` and every page that shows one loads this
single file; the version in the URL lets browsers keep it for a year.
"""

from __future__ import annotations

from pathlib import Path

import plotly
from litestar.datastructures import CacheControlHeader
from litestar.static_files import create_static_files_router

PLOTLY_DIR = Path(plotly.__file__).parent / "package_data"
PLOTLY_JS_URL = f"/static/plotly/{plotly.__version__}/plotly.min.js"


def plotly_router():
    """A static route onto the package's ``plotly.min.js`` (nothing else from that folder)."""
    return create_static_files_router(
        path=f"/static/plotly/{plotly.__version__}",
        directories=[PLOTLY_DIR],
        cache_control=CacheControlHeader(max_age=365 * 24 * 3600, public=True),
        include_in_schema=False,
        name="plotly",
    )
