"""What the start pages read of the published visits: each of a manager's branches at a
glance, and for head office the branches whose consistency moved most (``reports.glance``)."""

from __future__ import annotations

import datetime as dt

import msgspec

from audits.db.kept_results import keep, read_kept
from audits.org.users import CurrentUser
from reports import report_data
from reports.bytes_cache import digest
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


MOVES = "consistency-moves"


async def moved_most(today: dt.date) -> list[ConsistencyMove]:
    """The branches whose spread of scores changed most from the previous period to the last.

    Two quarters of a chain's audits are tens of thousands of rows: the moves are computed
    once per state of the audits (``audits_fingerprint``) and day, kept for every process, and
    each view reads them and the branches' names as they are now."""
    now = dt.datetime.now(dt.UTC)
    key = digest(MOVES, list(await report_data.audits_fingerprint()), today.isoformat())
    kept = await read_kept(key, now=now)
    if kept is None:
        scores = await report_data.load_scores(Filters(start=periods(today)[0], end=today))
        moves = consistency_moves(scores, {}, today)
        await keep(key, MOVES, msgspec.json.encode(moves), now=now, newest=KEEP_MOVES)
    else:
        moves = msgspec.json.decode(kept, type=list[ConsistencyMove])
    names = await report_data.branch_names([m.code for m in moves])
    return [msgspec.structs.replace(m, name=names.get(m.code, m.code)) for m in moves]


KEEP_MOVES = 8
"""Moves kept: today's for the last few states of the audits."""
