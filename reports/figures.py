"""Plotly figures of the reports, as figure dicts. Pure: values in, figures out.

The same dict is embedded in the page (plotly.js from ``/static``) and exported for the PDF by
kaleido. Points whose ``customdata`` is a URL are links on the page (a click opens the branch
or the audit); ``layout.meta.links`` marks such figures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from .report_model import chart_separators, fmt, right_to_left

FONT = "Noto Sans, Noto Sans Arabic, DejaVu Sans, sans-serif"
BLUE, GREY, RED, GREEN = "#1f5fa8", "#8a8f98", "#c62828", "#2e7d32"
SCORE_RANGE = (0.0, 100.0)  # every score axis: a 0–100 score never drawn to 120


def _within(
    values: Sequence[float], low: float = SCORE_RANGE[0], high: float = SCORE_RANGE[1]
) -> list[float]:
    """Values held to the score range (a control limit of 104 is drawn at 100)."""
    return [min(high, max(low, v)) for v in values]


def _layout(title: str, height: int = 380, **extra: Any) -> dict[str, Any]:
    layout = {
        "title": {"text": title, "font": {"size": 15}},
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
        "font": {"family": FONT, "size": 12},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "showlegend": False,
        "separators": chart_separators(),  # ticks and hovers in the reader's number style
    }
    layout.update(extra)
    return layout


def _dict(fig: go.Figure, links: bool = False) -> dict[str, Any]:
    if links:
        fig.update_layout(meta={"links": True})
    if right_to_left():
        _mirror(fig)
    return fig.to_dict()


def _mirror(fig: go.Figure) -> None:
    """A chart as a Persian reader reads it: title, labels and legend on the right, bars and
    categories running from right to left. Time still runs left to right, as Persian
    statistics print it (and the digits of each tick read left to right)."""
    layout = fig.layout
    margin = layout.margin
    fig.update_layout(
        margin={"l": margin.r, "r": margin.l},
        title={"x": 0.98, "xanchor": "right"},
        legend={"x": 1, "xanchor": "right"},
    )
    fig.update_yaxes(side="right")
    if layout.yaxis.type == "category":  # one row per label: values grow leftwards
        if layout.xaxis.range is not None:  # a score axis keeps its 0–100, mirrored
            low, high = layout.xaxis.range
            fig.update_xaxes(range=[high, low], autorange=False)
        else:
            fig.update_xaxes(autorange="reversed")
    for trace in fig.data:
        if trace.type == "heatmap":
            trace.update(colorbar={"x": -0.02, "xanchor": "right"})
    _reader_ticks(fig)
    _reader_hovers(fig)


def _written(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return fmt(value, 0 if float(value).is_integer() else 1)


def _reader_hovers(fig: go.Figure) -> None:
    """Hovers of bars and points that plotly.js would write itself (Latin digits): the point's
    label and value written for the reader instead. Traces with a hover of their own, or none,
    are left alone."""
    for trace in fig.data:
        if trace.type not in ("bar", "scatter") or trace.hovertemplate or trace.hoverinfo:
            continue
        xs, ys = list(trace.x or ()), list(trace.y or ())
        if not xs or len(xs) != len(ys):
            continue
        if any(isinstance(v, str) and v[:1].isdigit() for v in xs + ys):
            continue  # dates, whose words the chart's own ticks and hovers give
        labels = list(trace.text) if isinstance(trace.text, tuple | list) else []
        labels = labels if len(labels) == len(xs) else [None] * len(xs)
        hover = []
        for x, y, label in zip(xs, ys, labels, strict=True):
            if isinstance(y, str):  # a row's label and its value (horizontal bars, dots)
                words = f"{y}: {_written(x)}"
            elif isinstance(x, str):  # a column's label and its value
                words = f"{x}: {_written(y)}"
            else:
                words = f"{_written(x)} · {_written(y)}"
            hover.append(f"{label}: {words}" if label else words)
        trace.update(hovertext=hover, hovertemplate="%{hovertext}<extra></extra>")


def _reader_ticks(fig: go.Figure) -> None:
    """Number axes (and a heatmap's colour bar) ticked in the reader's digits: plotly.js writes
    every tick in Latin digits, whatever its locale, so each numeric axis gets its ticks
    (round steps over the values it shows) named by :func:`fmt`. Axes of categories, dates
    or ticks named already are left alone."""
    values: dict[str, list[float]] = {"x": [], "y": []}
    named = set()
    for trace in fig.data:
        if trace.type == "heatmap":
            if trace.zmin is not None and trace.zmax is not None:
                ticks, digits = _round_ticks(trace.zmin, trace.zmax)
                inside = [t for t in ticks if trace.zmin <= t <= trace.zmax]
                trace.update(
                    colorbar={"tickvals": inside, "ticktext": [fmt(t, digits) for t in inside]}
                )
            named |= {"x", "y"}
            continue
        for axis in ("x", "y"):
            points = list(getattr(trace, axis) or ())
            if any(isinstance(p, str) for p in points):
                named.add(axis)  # categories or dates
                continue
            numbers = [float(p) for p in points if isinstance(p, int | float)]
            errors = getattr(trace, f"error_{axis}", None)
            if numbers and errors is not None and errors.array is not None:
                high = list(errors.array)
                low = list(errors.arrayminus) if errors.arrayminus is not None else high
                ends = [v + h for v, h in zip(numbers, high, strict=False)]
                ends += [v - lo for v, lo in zip(numbers, low, strict=False)]
                numbers += ends
            if trace.type == "bar" and numbers:
                numbers.append(0.0)
            values[axis] += numbers
    for axis, numbers in values.items():
        layout_axis = fig.layout[f"{axis}axis"]
        if axis in named or not numbers or layout_axis.ticktext or layout_axis.type:
            continue
        ticks, digits = _round_ticks(min(numbers), max(numbers))
        layout_axis.update(
            tickmode="array", tickvals=ticks, ticktext=[fmt(t, digits) for t in ticks]
        )


def _round_ticks(low: float, high: float, count: int = 6) -> tuple[list[float], int]:
    """About ``count`` round ticks (steps of 1, 2, 2.5 or 5 × 10ⁿ) from below ``low`` to
    above ``high``, and the decimals they need."""
    if high <= low:
        low, high = low - 1, high + 1
    rough = (high - low) / count
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough)
    first = math.floor(low / step) - 1
    last = math.ceil(high / step) + 1
    digits = max(0, -math.floor(math.log10(step) + 1e-9)) + (1 if round(step / power) == 2.5 else 0)
    return [round(i * step, 10) for i in range(first, last + 1)], min(digits, 3)


def control_chart(
    periods: Sequence[str],
    means: Sequence[float],
    centre: float,
    lower: Sequence[float],
    upper: Sequence[float],
    signals: Sequence[bool],
    *,
    title: str,
    y_label: str,
    raw: Sequence[float] | None = None,
    raw_label: str = "",
    links: Sequence[str] | None = None,
    ticks: tuple[list[str], list[str]] | None = None,
    hover: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Scores in order against the centre line and control limits; points that break a rule
    are red, and with ``links`` (one URL per point) a click opens that visit. ``raw`` (the
    scores as given, when the chart is of adjusted ones) are faint grey marks beside them.
    ``ticks`` (places, labels) name a date axis in the reader's calendar and ``hover`` each
    point's date (its score beside it, in the reader's digits), so that neither Plotly's
    English months nor ISO dates nor Latin digits reach a reader."""
    fig = go.Figure()
    # with ``hover`` no hover shows Plotly's own writing of a date (``Jan 7, 2026``)
    quiet = {"hoverinfo": "skip"} if hover else {}
    if raw is not None:
        fig.add_scatter(
            x=list(periods),
            y=list(raw),
            mode="markers",
            name=raw_label,
            marker={"size": 5, "color": "#c5c9cf"},
            text=[f"{h}: {fmt(r)}" for h, r in zip(hover, raw, strict=True)] if hover else None,
            hovertemplate="%{text}<extra></extra>" if hover else None,
        )
    for bound in (upper, lower):
        fig.add_scatter(
            x=list(periods),
            y=_within(bound),
            mode="lines",
            line={"dash": "dot", "color": GREY},
            **quiet,
        )
    fig.add_scatter(
        x=list(periods),
        y=_within([centre] * len(periods)),
        mode="lines",
        line={"color": GREY},
        **quiet,
    )
    fig.add_scatter(
        x=list(periods),
        y=list(means),
        mode="lines+markers",
        line={"color": BLUE},
        marker={"size": 9, "color": [RED if s else BLUE for s in signals]},
        cliponaxis=False,  # a point at 100 is drawn whole on the axis's edge
        customdata=list(links) if links and any(links) else None,
        text=[f"{h}: {fmt(m)}" for h, m in zip(hover, means, strict=True)] if hover else None,
        hovertemplate="%{text}<extra></extra>" if hover else None,
    )
    xaxis = {"tickvals": ticks[0], "ticktext": ticks[1]} if ticks else {}
    fig.update_layout(
        _layout(
            title,
            yaxis={"title": y_label, "gridcolor": "#eee", **_score_range(means, raw)},
            xaxis=xaxis,
        )
    )
    return _dict(fig, links=bool(links and any(links)))


def _score_range(*series: Sequence[float] | None) -> dict[str, Any]:
    """A score axis from 0 to 100, a little wider only where a point (an adjusted score) lies
    outside, so that no point is hidden."""
    values = [v for s in series if s for v in s]
    low = min([SCORE_RANGE[0], *values])
    high = max([SCORE_RANGE[1], *values])
    return {"range": [low, high], "autorange": False}


def dot_intervals(
    labels: Sequence[str],
    values: Sequence[float],
    low: Sequence[float],
    high: Sequence[float],
    *,
    title: str,
    x_label: str,
    links: Sequence[str] | None = None,
    reference: float | None = None,
    colours: Sequence[str] | None = None,
    score_axis: bool = False,
) -> dict[str, Any]:
    """One row per label: a dot with its interval (league tables, severities, staff). With
    ``score_axis`` the axis runs 0–100 and the intervals are held to it."""
    if score_axis:
        low, high = _within(low), _within(high)
    fig = go.Figure()
    fig.add_scatter(
        x=list(values),
        y=list(labels),
        mode="markers",
        marker={"size": 9, "color": list(colours) if colours else BLUE},
        error_x={
            "type": "data",
            "symmetric": False,
            "array": [h - v for v, h in zip(values, high, strict=True)],
            "arrayminus": [v - lo for v, lo in zip(values, low, strict=True)],
            "color": GREY,
        },
        customdata=list(links) if links else None,
    )
    if reference is not None:
        fig.add_vline(x=reference, line={"color": GREY, "dash": "dash"})
    height = max(260, 60 + 22 * len(labels))
    fig.update_layout(
        _layout(
            title,
            height,
            xaxis={
                "title": x_label,
                "gridcolor": "#eee",
                **(_score_range(values) if score_axis else {}),
            },
            yaxis={"autorange": "reversed", "type": "category", "automargin": True},
            margin={"l": 110, "r": 20, "t": 50, "b": 50},
        )
    )
    return _dict(fig, links=bool(links))


def funnel(
    n: Sequence[int],
    means: Sequence[float],
    labels: Sequence[str],
    limits: dict[str, tuple[Sequence[float], Sequence[float], Sequence[float]]],
    centre: float,
    *,
    title: str,
    x_label: str = "n",
    y_label: str = "score",
    links: Sequence[str] | None = None,
    codes: Sequence[str] | None = None,
    marked: bool = True,
) -> dict[str, Any]:
    """Mean against number of visits with funnel limits; ``limits`` maps a name (the
    reader's "95%", "99.8%", inner limits first) to (n grid, lower, upper); the first limits
    are dotted, the others dashed. With ``codes`` each point is marked by its short code and
    its hover names it whole (``labels``); without ``marked`` (thousands of branches) the points
    carry no text, only their hover."""
    fig = go.Figure()
    for index, (name, (grid, lower, upper)) in enumerate(limits.items()):
        dash = "dot" if index == 0 else "dash"
        for bound in (lower, upper):
            fig.add_scatter(
                x=list(grid),
                y=_within(bound),
                mode="lines",
                name=name,
                line={"color": GREY, "dash": dash},
                hoverinfo="skip",
            )
    fig.add_hline(y=centre, line={"color": GREY})
    fig.add_scatter(
        x=list(n),
        y=list(means),
        mode="markers+text" if marked else "markers",
        text=list(codes or labels) if marked else None,
        hovertext=list(labels),
        hovertemplate="%{hovertext}: %{y}<extra></extra>",
        textposition="top center",
        marker={"size": 8, "color": BLUE},
        customdata=list(links) if links else None,
    )
    fig.update_layout(
        _layout(
            title,
            440,
            xaxis={"title": x_label, "gridcolor": "#eee"},
            yaxis={"title": y_label, "gridcolor": "#eee", **_score_range(means)},
        )
    )
    return _dict(fig, links=bool(links))


def histogram(
    values: Sequence[float],
    *,
    title: str,
    x_label: str,
    y_label: str,
    reference: float | None = None,
    reference_name: str = "",
    width: float = 2.0,
) -> dict[str, Any]:
    """How many values fall in each band of ``width`` points on the 0–100 score axis (the
    spread of thousands of branches, where one row each would be unreadable); ``reference``
    (the standard) as a dashed line named ``reference_name``."""
    fig = go.Figure()
    fig.add_histogram(
        x=list(values),
        xbins={"start": SCORE_RANGE[0], "end": SCORE_RANGE[1], "size": width},
        marker={"color": BLUE, "line": {"color": "white", "width": 1}},
    )
    if reference is not None:
        fig.add_vline(
            x=reference,
            line={"color": RED, "dash": "dash"},
            annotation={"text": reference_name, "font": {"color": RED}},
        )
    fig.update_layout(
        _layout(
            title,
            320,
            xaxis={"title": x_label, "gridcolor": "#eee", **_score_range(values)},
            yaxis={"title": y_label, "gridcolor": "#eee", "rangemode": "tozero"},
            bargap=0,
        )
    )
    return _dict(fig)


def heatmap(
    x: Sequence[str],
    y: Sequence[str],
    z: Sequence[Sequence[float | None]],
    *,
    title: str,
    text: Sequence[Sequence[str]] | None = None,
    row_links: Sequence[str | None] | None = None,
) -> dict[str, Any]:
    """Mean score per cell; empty cells stay blank. With ``row_links`` (one URL per row) a
    click on any cell of a row opens that row's page (a branch)."""
    customdata = [[link] * len(x) for link in row_links] if row_links else None
    fig = go.Figure(
        go.Heatmap(
            x=list(x),
            y=list(y),
            z=[list(r) for r in z],
            colorscale="RdYlGn",
            zmin=50,
            zmax=100,
            text=[list(r) for r in text] if text else None,
            texttemplate="%{text}" if text else None,
            hoverongaps=False,
            customdata=customdata,
            colorbar={"thickness": 12},
        )
    )
    height = max(260, 90 + 26 * len(y))
    fig.update_layout(
        _layout(
            title,
            height,
            xaxis={"automargin": True},
            yaxis={"type": "category", "autorange": "reversed", "automargin": True},
            margin={"l": 110, "r": 20, "t": 50, "b": 60},
        )
    )
    return _dict(fig, links=any(row_links or ()))


def bars(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    x_label: str,
    compare: Sequence[float] | None = None,
    names: tuple[str, str] = ("", ""),
    colours: Sequence[str] | None = None,
    score_axis: bool = False,
) -> dict[str, Any]:
    """Horizontal bars (section scores, pass rates, variance shares), optionally against a
    second series such as the organisation's. With ``score_axis`` (a score or a percentage)
    the value axis runs 0–100."""
    fig = go.Figure()
    fig.add_bar(
        x=list(values),
        y=list(labels),
        orientation="h",
        name=names[0],
        marker={"color": list(colours) if colours else BLUE},
    )
    # A question as a bar label: shortened on the axis (the bars keep their room), whole on
    # hover; the table beside the chart has every word.
    ticks = {
        "tickmode": "array",
        "tickvals": list(labels),
        "ticktext": [short_label(t) for t in labels],
    }
    if compare is not None:
        fig.add_bar(
            x=list(compare), y=list(labels), orientation="h", name=names[1], marker={"color": GREY}
        )
    height = max(240, 70 + (34 if compare is not None else 22) * len(labels))
    fig.update_layout(
        _layout(
            title,
            height,
            xaxis={
                "title": x_label,
                "gridcolor": "#eee",
                **(_score_range(values, compare) if score_axis else {}),
            },
            yaxis={"type": "category", "autorange": "reversed", "automargin": True, **ticks},
            barmode="group",
            showlegend=compare is not None,
            # Between the title and the bars: below them it collides with the axis title.
            legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom"},
            margin={"l": 60, "r": 20, "t": 80 if compare is not None else 50, "b": 50},
        )
    )
    return _dict(fig)


LABEL_CHARS = 42


def short_label(label: str, limit: int = LABEL_CHARS) -> str:
    """``label`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    if len(label) <= limit:
        return label
    cut = label[: limit - 1].rsplit(" ", 1)[0] if " " in label[: limit - 1] else label[: limit - 1]
    return cut.rstrip(" ,;:") + "…"
