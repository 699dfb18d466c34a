"""How many times one audit is scored, from filing to its branch report.

    python bench/scorings.py [--base COMMIT]

Files one audit through the real app (Litestar's TestClient on a fresh SQLite database), lists
it, opens it, approves it and builds its branch report, counting the calls of
``checklists.scoring.score_audit`` (wrapped here, at run time, in every module that imported
it). The same steps run twice, each in a child process: on ``--base`` (default 875d630, the
commit before audits stored their results; its tree is taken with ``git archive``) and on this
checkout. Prints the count per step and ``scorings per filed audit: before N, after M``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = "875d630"
PASSWORD = "correct-horse"
STEPS = ("file", "list", "open", "approve", "branch report")


def _counted(tree: Path) -> dict[str, int]:
    """Run the steps in a child process whose imports come from ``tree``."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--measure", str(tree)],
        env=env,
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"measuring {tree} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _base_tree(commit: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit],
        capture_output=True,
        check=True,
    ).stdout
    with tempfile.TemporaryFile() as file:
        file.write(archive)
        file.seek(0)
        with tarfile.open(fileobj=file) as tar:
            tar.extractall(into, filter="data")
    return into


# -- the child: one audit through the app ----------------------------------------------------


class _Counter:
    def __init__(self) -> None:
        self.calls = 0


def _wrap_score_audit(counter: _Counter) -> None:
    """Replace ``score_audit`` wherever it was imported by name, and in its own module (for
    imports still to come), by a wrapper that counts its calls."""
    import checklists.scoring as scoring

    original = getattr(scoring, "_uncounted_score_audit", scoring.score_audit)

    def counted(*args, **kwargs):
        counter.calls += 1
        return original(*args, **kwargs)

    scoring._uncounted_score_audit = original  # type: ignore[attr-defined]
    for module in list(sys.modules.values()):
        if getattr(module, "score_audit", None) is original:
            module.score_audit = counted  # type: ignore[union-attr]


def _answers(doc) -> dict:
    """Best answers to every item the form would show (conditions honoured)."""
    from checklists.model import ItemType
    from checklists.scoring import applicable_items

    answers: dict = {}
    for item in doc.items():
        if item.key not in applicable_items(doc, answers):
            continue
        if item.type is ItemType.yes_no:
            answers[item.key] = True
        elif item.type is ItemType.scale:
            answers[item.key] = item.scale.max
        elif item.type is ItemType.choice:
            answers[item.key] = max(item.options, key=lambda o: o.points).value
        elif item.type is ItemType.number:
            answers[item.key] = item.target.full_at
        elif item.type is ItemType.text:
            answers[item.key] = "Anna at the counter"
    return answers


async def _organisation(tree: Path):
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from audits.org.users import create_user
    from audits.tables import Branch, Role, Staff
    from checklists import queries
    from checklists.documents import load_checklist

    response = await run_forwards(app_name="all")
    if not response.success:
        raise RuntimeError(response.message)
    branch = await Branch.insert(Branch(code="B1", name="One", timezone="Europe/Athens"))
    await Staff.insert(Staff(branch=branch[0]["id"], code="B1-S1", name="Anna"))
    for name, role in (("sam", Role.shopper), ("ada", Role.office)):
        await create_user(name, PASSWORD, role)
    text = (tree / "checklists" / "defaults" / "service-fundamentals.yaml").read_text("utf-8")
    doc = load_checklist(text)
    await queries.import_checklist(doc, by="bench", publish=True)
    return doc


def _login(client, username: str) -> None:
    client.cookies.clear()
    client.headers.pop("x-csrftoken", None)
    client.get("/login")
    token = client.cookies["csrftoken"]
    client.headers["x-csrftoken"] = token
    data = {"username": username, "password": PASSWORD, "_csrf_token": token}
    response = client.post("/login", data=data, follow_redirects=False)
    assert response.status_code in (302, 303), response.text


def _ok(response) -> None:
    assert response.status_code < 300, (response.status_code, response.text[:500])


def measure(tree: Path) -> dict[str, int]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        os.environ["DATABASE_URL"] = url  # read when Piccolo first looks for its engine
        from litestar.testing import TestClient

        from web.app import create_app
        from web.settings import Settings

        doc = asyncio.run(_organisation(tree))
        settings = Settings(database_url=url, secret_key="bench", db_pool=False, login_rate=1000)
        counts: dict[str, int] = {}
        counter = _Counter()
        with TestClient(create_app(settings)) as client:
            _wrap_score_audit(counter)
            audit_id = str(uuid.uuid4())
            visited = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
            body = {
                "id": audit_id,
                "branch": "B1",
                "checklist": "service-fundamentals",
                "visited_at": visited.isoformat(),
                "channel": "in_person",
                "staff": "B1-S1",
                "answers": _answers(doc),
                "comments": {},
            }

            def step(name: str, *requests) -> None:
                _wrap_score_audit(counter)  # modules imported since, too
                before = counter.calls
                for request in requests:
                    _ok(request())
                counts[name] = counter.calls - before

            _login(client, "sam")
            step("file", lambda: client.post("/api/audits", json=body))
            step("list", lambda: client.get("/api/audits"), lambda: client.get("/audits"))
            step(
                "open",
                lambda: client.get(f"/api/audits/{audit_id}"),
                lambda: client.get(f"/audits/{audit_id}"),
            )
            _login(client, "ada")
            step(
                "approve",
                lambda: client.get("/review"),
                lambda: client.get(f"/review/{audit_id}"),
                lambda: client.post(f"/api/audits/{audit_id}/approve", json={}),
            )
            step("branch report", lambda: client.get("/reports/branches/B1"))
        return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default=BASE, help=f"the 'before' commit (default {BASE})")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        # bench/ is sys.path[0], and bench/reports.py would hide the reports package
        here = Path(__file__).resolve().parent
        sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != here]
        print(json.dumps(measure(options.measure)))
        return
    with tempfile.TemporaryDirectory() as folder:
        before = _counted(_base_tree(options.base, Path(folder)))
    after = _counted(ROOT)
    print(f"{'step':<16}{'before':>8}{'after':>8}")
    for name in STEPS:
        print(f"{name:<16}{before[name]:>8}{after[name]:>8}")
    print(f"scorings per filed audit: before {sum(before.values())}, after {sum(after.values())}")


if __name__ == "__main__":
    main()
