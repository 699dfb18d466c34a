"""A large import run by a worker (``audits.fieldwork.import_runs``): written a chunk per
transaction, and a worker stopped mid-import leaves whole chunks behind, which the next
attempt completes without writing a row twice; the result reports the file as the first
attempt found it, and a finished import run again changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from audits.fieldwork.import_runs import (
    ERASED_FAILURE,
    KEEP_FOR,
    run_import,
    store_upload,
    upload_kept,
)
from audits.fieldwork.imports import BATCH
from audits.privacy.services import erase_staff
from audits.tables import Audit, AuditImport, Staff

from ..conftest import run

NOW = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
ROWS = 2 * BATCH + 500


def big_file(rows: int = ROWS) -> str:
    """``rows`` audits of B1; every tenth a calibration of the next row's audit, which the file
    gives after it (so a chunk must write it before linking the pair)."""
    lines = ["audit_ref,visited_at,branch,staff,auditor,calibration_of,score"]
    for n in range(rows):
        day = dt.date(2026, 1, 1) + dt.timedelta(days=n % 300)
        pair = f"big-{n + 1}" if n % 10 == 0 and n + 1 < rows else ""
        auditor = "sue" if pair else "sam"
        lines.append(f"big-{n},{day}T{10 + n % 8}:15,B1,B1-S1,{auditor},{pair},{50 + n % 50}")
    return "\n".join(lines) + "\n"


class WorkerStopped(Exception):
    """Stands for a worker killed while writing."""


def _store(text: str, key: str = "import-1") -> str:
    run(store_upload(key, key, text.encode(), checklist=None, create_missing=False, now=NOW))
    return key


def _counts() -> tuple[int, int]:
    audits = run(Audit.count().run())
    pairs = run(Audit.count().where(Audit.calibration_of.is_not_null()).run())
    return audits, pairs


def test_an_import_stopped_mid_way_is_finished_by_the_next_attempt_once(org):
    key = _store(big_file())
    seen: list[tuple[int, int]] = []

    async def stop_in_the_second_chunk(written: int, total: int) -> None:
        seen.append((written, total))
        if len(seen) == 2:
            raise WorkerStopped

    with pytest.raises(WorkerStopped):
        run(run_import(key, now=NOW, chunk_done=stop_in_the_second_chunk))
    audits, pairs = _counts()
    assert audits == BATCH  # the first chunk, whole; the second rolled back whole
    assert pairs == BATCH // 10  # its pairs linked with it

    progress: list[tuple[int, int]] = []

    async def follow(written: int, total: int) -> None:
        progress.append((written, total))

    outcome = run(run_import(key, now=NOW, chunk_done=follow))
    assert outcome.result is not None and outcome.problems == []
    assert (outcome.result.new, outcome.result.already) == (ROWS, 0)  # the file, not the rest
    assert progress == [(2 * BATCH, ROWS), (ROWS, ROWS)]
    assert _counts() == (ROWS, ROWS // 10)

    again = run(run_import(key, now=NOW, chunk_done=follow))
    assert again == outcome and _counts() == (ROWS, ROWS // 10)
    assert len(progress) == 2  # nothing written again


def test_an_import_stopped_mid_way_then_erased_writes_nothing_more(org):
    """An erasure of someone the file names finishes its import: the next attempt (a worker
    taking the job up again) writes no further chunk and ends saying why."""
    key = _store(big_file())

    async def stop_in_the_second_chunk(written: int, total: int) -> None:
        if written > BATCH:
            raise WorkerStopped

    with pytest.raises(WorkerStopped):
        run(run_import(key, now=NOW, chunk_done=stop_in_the_second_chunk))
    assert _counts()[0] == BATCH
    [staff] = run(Staff.select(Staff.id).where(Staff.code == "B1-S1").run())
    run(erase_staff(staff["id"], by=None, reason="Asked for erasure"))

    outcome = run(run_import(key, now=NOW))
    assert outcome.failure == ERASED_FAILURE and outcome.result is None
    assert _counts()[0] == BATCH  # what was written before stays, with the staff erased
    assert not run(upload_kept(key))


def test_a_file_never_imported_is_not_kept_past_keep_for(org):
    """An upload whose import stopped and was never tried again goes when a later file is
    stored ``KEEP_FOR`` after it (as a finished import's outcome does)."""
    old = _store(big_file(10), key="import-old")
    sent = NOW - KEEP_FOR - dt.timedelta(hours=1)
    run(AuditImport.update({AuditImport.created_at: sent}).where(AuditImport.key == old).run())
    assert run(upload_kept(old))
    _store(big_file(20), key="import-new")
    assert not run(upload_kept(old))
    assert run(AuditImport.select(AuditImport.key).run()) == [{"key": "import-new"}]


def test_an_import_with_problems_writes_nothing_and_keeps_them_by_row(org):
    text = big_file(30) + "big-bad,yesterday,B1,,sam,,70\nbig-worse,2026-03-11T10:00,B1,,sam,,170\n"
    outcome = run(run_import(_store(text), now=NOW))
    assert outcome.result is None
    assert [(p.row, p.column) for p in outcome.problems] == [(32, "visited_at"), (33, "score")]
    assert _counts() == (0, 0)


# Calibration links that cross chunks (row → the row it calibrates). Rows 100–2349 make
# 3-cycles across three chunks (n → n + 750 → n + 1500 → n): whatever order a chunk puts them
# in, a boundary every BATCH rows falls inside one of them unless chunks keep cycles whole.
CYCLES = [(n, n + 750, n + 1500) for n in range(100, 850)]
ACROSS = {0: 2400, 2410: 10, 20: 1200}  # a calibration before, after, and of a cycle's audit
MUTUAL = [(30, 2420), (2430, 40)]  # two audits that name each other


def linked_file(rows: int = ROWS) -> tuple[str, dict[int, int]]:
    """``rows`` audits of B1 whose calibration links cross the chunks of ``BATCH`` rows, in
    both orders and as cycles; the file and its links."""
    links = ACROSS | dict(MUTUAL) | {b: a for a, b in MUTUAL}
    for a, b, c in CYCLES:
        links |= {a: b, b: c, c: a}
    lines = ["audit_ref,visited_at,branch,staff,auditor,calibration_of,score"]
    for n in range(rows):
        day = dt.date(2026, 1, 1) + dt.timedelta(days=n % 300)
        pair = f"big-{links[n]}" if n in links else ""
        auditor = "sue" if pair else "sam"
        lines.append(f"big-{n},{day}T{10 + n % 8}:15,B1,B1-S1,{auditor},{pair},{50 + n % 50}")
    return "\n".join(lines) + "\n", links


def _links() -> dict[str, str | None]:
    rows = run(Audit.select(Audit.id, Audit.external_ref, Audit.calibration_of).run())
    refs = {row["id"]: row["external_ref"] for row in rows}
    return {row["external_ref"]: refs.get(row["calibration_of"]) for row in rows}


def test_calibration_pairs_across_chunks_are_linked_in_either_order_and_as_cycles(org):
    text, links = linked_file()
    outcome = run(run_import(_store(text), now=NOW))
    assert outcome.failure == "" and outcome.problems == []
    assert outcome.result is not None and outcome.result.new == ROWS
    stored = _links()
    assert len(stored) == ROWS
    assert {ref: other for ref, other in stored.items() if other} == {
        f"big-{a}": f"big-{b}" for a, b in links.items()
    }


def test_a_stopped_import_leaves_no_pair_half_written_and_the_rerun_links_every_one(org):
    text, links = linked_file()
    key = _store(text)
    seen: list[int] = []

    async def stop_in_the_second_chunk(written: int, total: int) -> None:
        seen.append(written)
        if len(seen) == 2:
            raise WorkerStopped

    with pytest.raises(WorkerStopped):
        run(run_import(key, now=NOW, chunk_done=stop_in_the_second_chunk))
    stored = _links()
    assert 0 < len(stored) < ROWS
    for a, b in links.items():  # an audit written is written with its link, or not at all
        if f"big-{a}" in stored:
            assert stored[f"big-{a}"] == f"big-{b}"
    for cycle in (*MUTUAL, *CYCLES):  # a cycle is written whole or not at all
        assert len({f"big-{n}" in stored for n in cycle}) == 1

    outcome = run(run_import(key, now=NOW))
    assert outcome.result is not None and outcome.result.new == ROWS
    stored = _links()
    assert len(stored) == ROWS
    assert {ref: other for ref, other in stored.items() if other} == {
        f"big-{a}": f"big-{b}" for a, b in links.items()
    }
