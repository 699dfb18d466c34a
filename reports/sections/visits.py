"""The branch's visits, newest first (pure); the CSV adds each visit's audit id."""

from __future__ import annotations

from typing import Any

from ..branch_input import BranchInput
from ..report_model import (
    Cell,
    Column,
    Href,
    Section,
    Translate,
    channel_name,
    day_text,
    moment_text,
    num,
    table,
)


def visits_section(data: BranchInput, audit_href: Href, _: Translate) -> Section:
    def shown(r: Any) -> str:
        # with the weekday: the report compares shifts and weekdays
        return moment_text(r.local, True) if data.times_shown else day_text(r.local.date(), True)

    def visited(r: Any) -> str:
        return r.local.isoformat() if data.times_shown else r.local.date().isoformat()

    columns: list[Column[Any]] = [
        Column("audit", csv=lambda r: r.id),
        Column(_("Visited"), lambda r: Cell(shown(r), href=audit_href(r.id)), visited),
        Column(
            _("Shift"), lambda r: Cell(data.shift_names.get(r.shift, r.shift)), lambda r: r.shift
        ),
        Column(_("Channel"), lambda r: Cell(channel_name(r.channel, _)), lambda r: r.channel),
        Column(_("Staff"), lambda r: Cell(r.staff), lambda r: r.staff),
        Column(_("Score"), lambda r: num(r.score), lambda r: r.score),
    ]
    return Section(
        "visits", _("Visits"), [table("visits", _("Visits"), columns, reversed(data.rows))]
    )
