"""Plotly's own words and calendar names in the reader's language, served with the page.

plotly.js names months and days in its hovers and axes, and its tool bar has its own buttons
("Zoom in", "Reset axes"); a page passes this locale in the figure's config (``locale`` and
``locales``), built from Babel's CLDR data and our catalogs, so nothing comes from a CDN.
Axis ticks of dates are written by the reports themselves (``reports.formatting.date_ticks``):
the same ticks then reach the exported chart of the PDF, which has no Plotly config.
"""

from __future__ import annotations

import functools
from typing import Any, Literal

from babel.dates import get_day_names, get_month_names
from babel.numbers import get_decimal_symbol, get_group_symbol

from web.i18n import N_, gettext_for

# The tool bar's words, as plotly.js names them (its dictionary's keys)
TOOLBAR = (
    N_("Zoom"),
    N_("Pan"),
    N_("Box Select"),
    N_("Lasso Select"),
    N_("Zoom in"),
    N_("Zoom out"),
    N_("Autoscale"),
    N_("Reset axes"),
    N_("Double-click to zoom back out"),
)


@functools.cache
def plotly_locale(lang: str) -> dict[str, Any] | None:
    """``{"dictionary": ..., "format": ...}`` for ``Plotly.newPlot``'s ``config.locales``;
    None for English, plotly.js's own."""
    if lang == "en":
        return None
    _ = gettext_for(lang)

    def days(width: Literal["abbreviated", "wide"]) -> list[str]:
        names = get_day_names(width, locale=lang)
        return [names[(index + 6) % 7] for index in range(7)]  # Plotly's weeks start on Sunday

    def months(width: Literal["abbreviated", "wide"]) -> list[str]:
        names = get_month_names(width, locale=lang)
        return [names[month] for month in range(1, 13)]

    return {
        "dictionary": {word: _(word) for word in TOOLBAR},
        "format": {
            "days": days("wide"),
            "shortDays": days("abbreviated"),
            "months": months("wide"),
            "shortMonths": months("abbreviated"),
            "date": "%d/%m/%Y",
            "decimal": get_decimal_symbol(lang, numbering_system="default"),
            "thousands": get_group_symbol(lang, numbering_system="default"),
        },
    }
