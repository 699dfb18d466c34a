"""The analysis frame of ``evenly analyse``: the reports' own loader of published audits
(``report_data.load_rows``), so the command and the report pages always analyse the same
audits, cut on the same branch-local dates."""

from __future__ import annotations

import datetime as dt

from checklists.tables import ChecklistTemplate

from .frame import Frame
from .report_data import Filters, load_rows
from .rows import frame_of


class UnknownChecklist(LookupError):
    """The ``--checklist`` slug names no checklist."""


async def load_frame(
    *, start: dt.date | None = None, end: dt.date | None = None, checklist: str | None = None
) -> Frame:
    """The published, scored audits visited from ``start`` to ``end`` (inclusive, branch-local
    dates) of one checklist or all."""
    known = ChecklistTemplate.exists().where(ChecklistTemplate.slug == checklist)
    if checklist is not None and not await known:
        raise UnknownChecklist(f"No checklist {checklist!r}.")
    rows = await load_rows(Filters(start=start, end=end, checklist=checklist))
    return frame_of(rows)
