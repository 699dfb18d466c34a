"""What corrective actions cost: publishing an audit that opens and re-checks actions, and a
day's reminders through a real SMTP server.

``python bench/actions.py`` (``--help``) migrates a fresh SQLite file (or the PostgreSQL
database given with ``--postgres``, whose name must contain ``bench`` or ``test``: its tables
are dropped), sets up 4 branches with a manager each and files audits of the default checklist
straight through the filing code (no HTTP). Then, in the same run:

1. baseline: head office approves audits that fail nothing (publishing opens no action);
2. approves audits failing 3–6 items, each opening actions and re-checking the branch's
   earlier ones (the first of each branch re-checks nothing);
3. baseline: the same number of e-mails sent straight over SMTP to a local aiosmtpd;
4. a reminder run (compose, claim, send, mark) for every owner and head office, then a second
   run that must send nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import io
import os
import random
import socket
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--audits", type=int, default=60, help="audits per phase (60)")
    parser.add_argument("--postgres", help="a PostgreSQL URL instead of a fresh SQLite file")
    return parser.parse_args()


OPTIONS = _arguments()
os.environ["DATABASE_URL"] = OPTIONS.postgres or (
    f"sqlite:///{tempfile.mkdtemp(prefix='evenly-bench-actions-')}/bench.db"
)

from aiosmtpd.controller import Controller  # noqa: E402
from piccolo.apps.user.tables import BaseUser  # noqa: E402

from audits.actions.services import approve_audit  # noqa: E402
from audits.fieldwork.schemas import AuditCreate  # noqa: E402
from audits.org.users import create_user, get_current_user  # noqa: E402
from audits.tables import Branch, CorrectiveAction, Role, SentEmail, Staff  # noqa: E402
from checklists import queries  # noqa: E402
from checklists.documents import load_checklist  # noqa: E402
from checklists.model import ItemType  # noqa: E402
from checklists.scoring import applicable_items  # noqa: E402
from web.mail import Message, parse_smtp_url, send  # noqa: E402
from web.reminders import run_reminders  # noqa: E402
from web.settings import Settings  # noqa: E402

BRANCHES = ("B1", "B2", "B3", "B4")
FAILABLE = (
    "acknowledged_promptly",
    "greeted_verbally",
    "asked_about_needs",
    "listened_without_interrupting",
    "tailored_answer",
    "accurate_answer",
    "request_completed",
    "checked_resolution",
    "next_step_confirmed",
)


async def _prepare():
    from piccolo.apps.migrations.commands.forwards import run_forwards

    engine = BaseUser._meta.db
    if OPTIONS.postgres:
        name = OPTIONS.postgres.rsplit("/", 1)[-1]
        if "bench" not in name and "test" not in name:
            raise SystemExit(f"refusing to wipe {name!r}: its name lacks bench or test")
        await engine.run_ddl("DROP SCHEMA public CASCADE")
        await engine.run_ddl("CREATE SCHEMA public")
    with contextlib.redirect_stdout(io.StringIO()):
        await run_forwards(app_name="all")
    for code in BRANCHES:
        rows = await Branch.insert(Branch(code=code, name=code, timezone="Europe/Athens"))
        await Staff.insert(Staff(branch=rows[0]["id"], code=f"{code}-S1"))
        await create_user(f"m{code}", "bench-password", Role.manager, branches=(code,))
    shopper = await create_user("shopper", "bench-password", Role.shopper)
    office = await create_user("office", "bench-password", Role.office)
    text = (ROOT / "checklists" / "defaults" / "service-fundamentals.yaml").read_text("utf-8")
    await queries.import_checklist(load_checklist(text), by="bench", publish=True)
    _, doc = await queries.get_version("service-fundamentals")
    return shopper, office, doc


def _answers(doc, failing: set[str]) -> dict:
    answers: dict = {}
    for item in doc.items():
        if item.key not in applicable_items(doc, answers):
            continue
        if item.type is ItemType.yes_no:
            answers[item.key] = item.key not in failing
        elif item.type is ItemType.scale:
            answers[item.key] = item.scale.max
        elif item.type is ItemType.choice:
            answers[item.key] = max(item.options, key=lambda o: o.points).value
        elif item.type is ItemType.number:
            answers[item.key] = item.target.full_at
        elif item.type is ItemType.text:
            answers[item.key] = "Anna"
    return answers


async def _file(shopper, doc, n: int, rng: random.Random, fail: bool) -> list[uuid.UUID]:
    from audits.fieldwork.filing import submit_audit

    ids = []
    start = dt.datetime(2026, 1, 5, 10, 0, tzinfo=dt.UTC)
    for i in range(n):
        failing = set(rng.sample(FAILABLE, rng.randint(3, 6))) if fail else set()
        data = AuditCreate(
            id=uuid.uuid4(),
            branch=BRANCHES[i % len(BRANCHES)],
            checklist="service-fundamentals",
            visited_at=start + dt.timedelta(days=i // len(BRANCHES), hours=fail * 3),
            staff=f"{BRANCHES[i % len(BRANCHES)]}-S1",
            answers=_answers(doc, failing),
        )
        await submit_audit(data, shopper, now=dt.datetime.now(dt.UTC))
        ids.append(data.id)
    return ids


async def _approve_all(ids: list[uuid.UUID], office) -> list[float]:
    times = []
    for audit_id in ids:
        begin = time.perf_counter()
        await approve_audit(audit_id, office)
        times.append(time.perf_counter() - begin)
    return times


class _Sink:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.count += 1
        return "250 OK"


def _smtp() -> tuple[Controller, _Sink, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = _Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, sink, f"smtp://127.0.0.1:{port}"


def _line(label: str, times: list[float], baseline: list[float] | None = None) -> str:
    rate = len(times) / sum(times)
    ratio = (
        f", {sum(times) / len(times) / (sum(baseline) / len(baseline)):.2f}× baseline"
        if (baseline)
        else ""
    )
    p50 = statistics.median(times) * 1000
    return f"{label:<44} {rate:7.1f}/s  p50 {p50:6.1f} ms{ratio}"


async def main() -> None:
    shopper, office, doc = await _prepare()
    rng = random.Random(7)
    passing = await _file(shopper, doc, OPTIONS.audits, rng, fail=False)
    failing = await _file(shopper, doc, OPTIONS.audits, rng, fail=True)
    office = await get_current_user(office.id)
    base = await _approve_all(passing, office)
    with_actions = await _approve_all(failing, office)
    actions = await CorrectiveAction.count()
    print(f"database: {os.environ['DATABASE_URL']}; {actions} actions opened")
    print(_line("approve, nothing failed (baseline)", base))
    print(_line("approve, opening and re-checking actions", with_actions, base))
    overdue = dt.date.today() - dt.timedelta(days=1)  # so that every owner has a reminder
    await CorrectiveAction.update({CorrectiveAction.due_date: overdue}, force=True)
    controller, sink, url = _smtp()
    try:
        settings = Settings(database_url=os.environ["DATABASE_URL"], smtp_url=url)
        recipients = len(BRANCHES) + 1
        server = parse_smtp_url(url)
        direct = []
        for _ in range(recipients):
            begin = time.perf_counter()
            await asyncio.to_thread(send, server, "bench@localhost", Message("a@b.c", "s", "b"))
            direct.append(time.perf_counter() - begin)
        begin = time.perf_counter()
        first = await run_reminders(settings)
        elapsed = time.perf_counter() - begin
        again = await run_reminders(settings)
    finally:
        controller.stop()
    per_message = [elapsed / max(first.sent, 1)] * max(first.sent, 1)
    print(_line("SMTP send alone (baseline), per message", direct))
    print(_line("reminder run, per message", per_message, direct))
    print(
        f"reminders: {first.sent} sent, second run {again.sent} sent / {again.skipped} skipped;"
        f" {await SentEmail.count()} logged, {sink.count - recipients} arrived"
    )
    if again.sent or first.failed or sink.count - recipients != first.sent:
        raise SystemExit("reminders were doubled, lost or failed")


if __name__ == "__main__":
    asyncio.run(main())
