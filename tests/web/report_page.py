"""A report page read back as its reader sees it: the summary's sentences, each section's
paragraphs and each table's header and cells (a key figure's meaning apart from its value).
The standard library's HTML parser: the report template is regular enough for it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any


@dataclass
class ShownTable:
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    meanings: list[list[str]] = field(default_factory=list)
    row_css: list[str] = field(default_factory=list)

    def column(self, title: str) -> list[str]:
        index = self.columns.index(title)
        return [row[index] for row in self.rows]

    def row(self, first: str) -> dict[str, str]:
        """The row whose first cell is ``first``, by column title."""
        found = next(r for r in self.rows if r[0] == first)
        return dict(zip(self.columns, found, strict=True))

    def by(self, title: str) -> dict[str, dict[str, str]]:
        """Every row by its cell in column ``title``."""
        index = self.columns.index(title)
        return {r[index]: dict(zip(self.columns, r, strict=True)) for r in self.rows}


@dataclass
class ShownReport:
    summary: list[str] = field(default_factory=list)
    paragraphs: dict[str, list[str]] = field(default_factory=dict)  # section id → its <p>s
    tables: dict[str, ShownTable] = field(default_factory=dict)  # table key → table
    methods: dict[str, str] = field(default_factory=dict)  # section id → "how computed"


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.report = ShownReport()
        self.section = ""
        self.key = ""
        self.table: ShownTable | None = None
        self.text: list[str] | None = None  # the text being gathered
        self.meaning: list[str] | None = None
        self.where = ""  # "summary", "p", "th", "td", "method"
        self.in_summary = False
        self.in_method = False
        self.row: list[str] = []
        self.row_meanings: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        css = (a.get("class") or "").split()
        if tag == "section" and "summary" in css:
            self.in_summary = True
        elif tag == "section" and "report-section" in css:
            self.section = a.get("id") or ""
            self.in_summary = False
        elif (a.get("id") or "").startswith("table-"):
            self.key = (a.get("id") or "")[len("table-") :]
        if tag == "details" and "method" in css:
            self.in_method = True
        if tag == "table" and "report-table" in css:
            self.table = self.report.tables.setdefault(self.key, ShownTable())
        elif tag == "tr" and self.table is not None:
            self.row, self.row_meanings = [], []
            self.table.row_css.append(a.get("class") or "")
        elif tag in ("th", "td") and self.table is not None:
            self.text, self.where = [], tag
        elif tag == "span" and "meaning" in css and self.text is not None:
            self.meaning = []
        elif tag == "li" and self.in_summary:
            self.text, self.where = [], "summary"
        elif tag == "p" and self.section and self.table is None:
            self.text, self.where = [], "method" if self.in_method else "p"

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self.meaning is not None:
            self.row_meanings.append(_squeeze("".join(self.meaning)))
            self.meaning = None
            return
        if self.text is None:
            if tag == "table":
                self.table = None
            elif tag == "tr" and self.table is not None and self.row:
                if self.row_css_is_header():
                    self.table.columns = self.row
                    self.table.row_css.pop()
                else:
                    self.table.rows.append(self.row)
                    self.table.meanings.append(self.row_meanings)
            elif tag == "details":
                self.in_method = False
            elif tag == "section":
                self.in_summary = False
            return
        text = _squeeze("".join(self.text))
        if tag in ("th", "td") and self.where in ("th", "td"):
            self.row.append(text)
            self.header = self.where == "th"
            self.text = None
        elif tag == "li" and self.where == "summary":
            self.report.summary.append(text)
            self.text = None
        elif tag == "p" and self.where == "p":
            self.report.paragraphs.setdefault(self.section, []).append(text)
            self.text = None
        elif tag == "p" and self.where == "method":
            self.report.methods[self.section] = text
            self.text = None

    header = False

    def row_css_is_header(self) -> bool:
        return self.header

    def handle_data(self, data: str) -> None:
        if self.meaning is not None:
            self.meaning.append(data)
        elif self.text is not None:
            self.text.append(data)


def read_report(html: str) -> ShownReport:
    reader = _Reader()
    reader.feed(html)
    return reader.report


NUMBER = r"−?[\d,]+(?:\.\d+)?"
BETWEEN = rf"between ({NUMBER}) and ({NUMBER})"


def shown(report: Any) -> ShownReport:
    """A report model (``reports.report_model.Report``) as its page shows it."""
    page = ShownReport(summary=list(report.summary))
    for section in report.sections:
        page.methods[section.key] = section.method
        for block in section.blocks:
            if block.kind == "paragraph":
                page.paragraphs.setdefault(section.key, []).append(block.text)
            elif block.kind == "table":
                page.tables[block.key] = ShownTable(
                    list(block.columns),
                    [[c.text for c in row] for row in block.rows],
                    [[c.note for c in row if c.note] for row in block.rows],
                    list(block.row_css) or [""] * len(block.rows),
                )
    return page


def one(pattern: str, sentences: list[str]) -> re.Match[str] | None:
    found = [m for s in sentences if (m := re.search(pattern, s))]
    assert len(found) <= 1, found
    return found[0] if found else None


def check_branch(page: ShownReport, label: str) -> None:
    figures = page.tables["overview"]
    # the standing sentence: score, range and place are the key figures' cells
    standing = one(
        rf"Its fair score is ({NUMBER}) \(({BETWEEN})\), (.+) compared with other branches\.",
        page.summary,
    )
    assert standing, page.summary
    fair = figures.row("Fair score")
    assert standing[1] == fair["Value"] and standing[2] == fair["Interval"]
    assert standing[5] == figures.row("Against other branches")["Value"]
    low, high, score = number(standing[3]), number(standing[4]), number(standing[1])
    assert low <= score <= high
    # the decision: the same number, or the same word, as "Visits to decide"
    decide = figures.row("Visits to decide")["Value"]
    sentence = one(r"standard of \d+", page.summary)
    assert sentence, page.summary
    text = sentence.string
    assert text.startswith(label) or f"Whether {label}" in text
    if decide.isdigit():
        assert f"about {decide} more visits would settle it" in text
    elif decide == "too close to tell":
        assert "too close to the standard" in text
    else:
        assert decide == "settled" and re.search(r"is clearly (above|below) the standard", text)
    # the shift sentence against the shift table: visits × mean per shift
    shifts = page.tables["shifts"]
    shown = {
        row["Shift"]: (int(row["Visits"]), number(row["Mean"]))
        for row in shifts.by("Shift").values()
    }
    means = [m for _n, m in shown.values()]
    except_ = one(rf"except on (\w+) visits, which score ({NUMBER}) points lower", page.summary)
    spread = one(rf"(?:differ by up to|within) ({NUMBER}) points", page.summary)
    assert (except_ is None) != (spread is None), page.summary
    assert (except_ or spread).string.count(label) == 1  # the branch by its name and code
    if except_:
        worst = except_[1]
        others = [(n, m) for s, (n, m) in shown.items() if s != worst]
        gap = sum(n * m for n, m in others) / sum(n for n, _m in others) - shown[worst][1]
        assert shown[worst][1] == min(means)
        assert abs(gap - number(except_[2])) <= 0.5 + 0.05  # a whole number from 0.1s
    else:
        assert abs((max(means) - min(means)) - number(spread[1])) <= 0.5 + 0.05


def trend_of(page: ShownReport) -> re.Match[str] | None:
    return one(
        rf"^Trend: (rising, clearly|falling, clearly|no clear change), ({NUMBER}) points a "
        rf"year \(({BETWEEN}|–)\)\.$",
        page.paragraphs.get("trend", []),
    )


def number(text: str) -> float:
    """A number as an English report writes it (1,234.5, −3.2)."""
    return float(text.replace(",", "").replace("\u2212", "-"))
