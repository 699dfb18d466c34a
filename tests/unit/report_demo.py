"""The demo organisation as report rows and their analysis, made once per test module."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from audits.demo.generator import generate_demo
from bench.demo_frames import rows_from_demo
from checklists.documents import load_checklist
from checklists.model import text_in
from reports.analysis import analyse
from reports.branch_report import BranchInput
from reports.rows import frame_of

DEFAULTS = Path(__file__).resolve().parents[2] / "checklists" / "defaults"


class Demo:
    def __init__(self) -> None:
        self.doc = load_checklist((DEFAULTS / "service-fundamentals.yaml").read_text("utf-8"))
        self.org = generate_demo(self.doc, seed=7, start=dt.date(2026, 1, 1))
        self.rows = rows_from_demo(self.org, self.doc)
        self.analysis = analyse(frame_of(self.rows))

    def sections(self, lang: str = "en") -> dict[str, str]:
        return {s.key: text_in(s.title, lang)[0] for s in self.doc.sections}

    def items(self, lang: str = "en") -> dict[str, str]:
        return {i.key: text_in(i.text, lang)[0] for i in self.doc.items()}

    def branch(self, code: str, lang: str = "en") -> BranchInput:
        mine = [r for r in self.rows if r.branch == code]
        return BranchInput(
            code=code,
            name=mine[0].branch_name,
            rows=mine,
            org_rows=self.rows,
            findings=self.analysis.for_branch(code),
            section_titles=self.sections(lang),
            item_titles=self.items(lang),
            period="2026",
        )
