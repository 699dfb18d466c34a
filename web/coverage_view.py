"""What head office's coverage page shows, at any size: a small organisation's whole branch ×
shift × weekday matrix; a chain's cells summed up (all, per region), the branches to see to
first and its matrix a page of ``PAGE_BRANCHES`` branches at a time (of one region, if asked).
Every cell of the period is in its CSV."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from urllib.parse import urlencode

from audits.boundary.csv_guard import GuardedWriter
from audits.visits import selectors as visits_selectors
from audits.visits.coverage_reads import branch_cells_between, coverage_of
from audits.visits.coverage_summary import by_region, needing_attention, pages_of, totals
from audits.visits.planning import WEEKDAYS, Coverage
from web.deps import Page
from web.i18n import N_, gettext_for

PAGE_BRANCHES = 40
"""Branches a page of the matrix (three shifts make 120 rows); an organisation with no more
sees its whole matrix on one page, as before."""
ATTENTION = 12
"""Branches named as needing attention first."""


def coverage_href(start: dt.date, end: dt.date, region: str | None = None, number: int = 1) -> str:
    query: dict[str, Any] = {"start": start, "end": end}
    if region:
        query["region"] = region
    if number > 1:
        query["page"] = number
    return f"/visits/coverage?{urlencode(query)}"


async def coverage_view(
    start: dt.date, end: dt.date, region: str | None, number: int
) -> dict[str, Any]:
    """The coverage page's context past its dates: the matrix's ``coverage`` and, for a chain,
    its summary (``totals``, ``regions``, ``attention``) and ``pages``."""
    branches = await branch_cells_between(start, end)
    listed = [b for b in branches if b.region == region] if region else branches
    pages = pages_of(len(listed), PAGE_BRANCHES, number)
    shown = listed[pages.start : pages.stop]
    chain = len(branches) > PAGE_BRANCHES
    place = {b.branch: index // PAGE_BRANCHES + 1 for index, b in enumerate(listed)}
    attention = needing_attention(listed, ATTENTION) if chain else []
    regions = by_region(branches)
    return {
        "coverage": await coverage_of(start, end, [b.branch for b in shown]),
        "totals": totals(branches),
        "regions": regions,
        "region": region,
        "chain": chain,
        "attention": attention,
        "attention_href": {
            b.branch: f"{coverage_href(start, end, region, place[b.branch])}#b-{b.branch}"
            for b in attention
        },
        "pages": pages,
        "listed": len(listed),
        "page_href": {
            n: coverage_href(start, end, region, n) for n in _nearby(pages.number, pages.count)
        },
        "region_href": {r.region: coverage_href(start, end, r.region) for r in regions if r.region},
        "all_href": coverage_href(start, end),
        "csv_href": f"/visits/coverage.csv?{urlencode({'start': start, 'end': end})}",
    }


def _nearby(number: int, count: int) -> list[int]:
    """The pages the pager links: the first, the last, and two either side of this one."""
    return sorted({1, count, *range(max(1, number - 2), min(count, number + 2) + 1)})


def first_branches(cover: Coverage, limit: int) -> dict[str, Any]:
    """A plan preview's coverage: its first ``limit`` branches (``coverage``) and how many
    more the saved plan's coverage page shows (``coverage_more``)."""
    codes = list(dict.fromkeys(r.branch for r in cover.rows))
    kept = set(codes[:limit])
    trimmed = Coverage(
        [r for r in cover.rows if r.branch in kept],
        [g for g in cover.gaps if g.branch in kept],
        cover.most,
    )
    return {"coverage": trimmed, "coverage_more": max(0, len(codes) - limit)}


CSV_COLUMNS = (N_("Branch"), N_("Name"), N_("Region"), N_("Shift"), N_("Planned"), N_("Done"))


async def coverage_csv_text(start: dt.date, end: dt.date, page: Page) -> bytes:
    """Every branch × shift cell of the period (the matrix's rows): its visits planned and done,
    then planned and done per weekday, Monday first; headings in the reader's language."""
    _ = gettext_for(page.lang)
    cover = await visits_selectors.coverage_between(start, end, weekday_gaps=False)
    about = {b.branch: (b.name, b.region or "") for b in await branch_cells_between(start, end)}
    out = io.StringIO()
    writer = GuardedWriter(out, lineterminator="\n")
    writer.writerow([*(_(c) for c in CSV_COLUMNS), *(_(day) for day in WEEKDAYS)])
    for row in cover.rows:
        name, region = about.get(row.branch, ("", ""))
        shift = page.shifts.get(row.shift, row.shift) if row.shift else _("no shift")
        days = [p + d for p, d in zip(row.planned, row.done, strict=True)]
        writer.writerow([row.branch, name, region, shift, sum(row.planned), sum(row.done), *days])
    return out.getvalue().encode("utf-8")
