"""What the start pages read of the published visits: each of a manager's branches at a
glance, and for head office the branches whose consistency moved most (``reports.glance``)."""

from __future__ import annotations

import datetime as dt

from audits.org.users import CurrentUser
from reports import report_data
from reports.glance import BranchGlance, ConsistencyMove, branch_glance, consistency_moves, periods
from reports.report_data import Filters
from reports.report_model import Translate


async def branch_glances(
    user: CurrentUser, today: dt.date, _: Translate, *, lang: str
) -> list[BranchGlance]:
    """The branches ``user`` manages, each at a glance; scores and shifts only, nothing that
    says who visited."""
    glances = []
    for code in sorted(user.branches):
        info = await report_data.branch_info(code)
        if info is None:
            continue
        rows = await report_data.load_rows(Filters(branch=code, end=today))
        glances.append(branch_glance(code, info["name"], rows, today, _, lang=lang))
    return glances


async def moved_most(today: dt.date) -> list[ConsistencyMove]:
    """The branches whose spread of scores changed most from the previous period to the last."""
    rows = await report_data.load_rows(Filters(start=periods(today)[0], end=today))
    names = {r.branch: r.branch_name for r in rows}
    return consistency_moves(rows, names, today)
