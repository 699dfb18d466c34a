"""The report model: what a report says, independent of how it is shown.

A builder (``visit.py``, ``branch_report.py``, ``headoffice_report.py``) turns numbers into
a ``Report``; the page template and the print template both render that one object, so the
page and the PDF can never disagree. Figures are Plotly figure dicts: the page embeds them
(plotly.js from ``/static``), the PDF embeds the same dicts exported by kaleido.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, NamedTuple, TypeVar

import msgspec

from .formatting import (
    format_day,
    format_moment,
    format_number,
    format_weekday_day,
    isolated,
    number_range,
    percent_sign,
    signed,
)
from .results import Interval, RankInterval

Translate = Callable[[str], str]
Href = Callable[[str], str | None]
"""A link for a key (a branch code, an audit id), or None where the reader has no page."""
MANY = 60  # marks past which a chart goes into the PDF as PNG


def no_translation(text: str) -> str:
    """The identity translator: English as written."""
    return text


class Paragraph(msgspec.Struct, tag="paragraph"):
    kind: ClassVar[str] = "paragraph"
    text: str


class Figure(msgspec.Struct, tag="figure"):
    """A chart; ``figure`` is a Plotly figure dict (``fig.to_dict()``)."""

    kind: ClassVar[str] = "figure"
    key: str
    title: str
    figure: dict[str, Any]
    caption: str = ""
    raster: bool = False  # many marks: a PNG lays out faster than an SVG of thousands of paths


class Cell(msgspec.Struct):
    """One table cell: shown text, an optional link (pages only) and a CSS class."""

    text: str
    href: str | None = None
    css: str = ""
    note: str = ""  # a line in plain words beneath the text (what a key figure means)


class Table(msgspec.Struct, tag="table"):
    """A table; ``rows`` hold the cells shown, ``csv`` the raw values for the CSV download."""

    kind: ClassVar[str] = "table"
    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    csv: list[list[Any]]
    row_css: list[str] = []
    csv_columns: list[str] = []  # when the CSV carries more than the page (e.g. audit ids)
    printed: bool = True  # long lists a PDF reader would not read stay on the page and CSV
    on_page: bool = True  # thousands of rows nobody scrolls through: in the CSV only
    count: int | None = None  # rows not built (``CsvOnly``): how many the CSV has

    def row_count(self) -> int:
        """The table's rows: those built, or the count of those left to its CSV."""
        return len(self.rows) if self.count is None else self.count


class PageLink(msgspec.Struct):
    """One link of a pager: its label (a page number, "Next") and where it goes; ``href`` is
    None for the page being read."""

    label: str
    href: str | None = None


class Pager(msgspec.Struct, tag="pager"):
    """Where a paged table stands (``text``: "ranks 51–100 of 5,000") and the links to its
    other pages. Pages only: a PDF says where the whole table is instead."""

    kind: ClassVar[str] = "pager"
    key: str
    text: str
    links: list[PageLink]


class Photo(msgspec.Struct):
    evidence_id: str
    data_uri: str = ""  # filled for the PDF, which cannot fetch


class Answer(msgspec.Struct):
    """One item of a visit: question, answer as shown, comment, photos and its standing."""

    key: str
    text: str
    answer: str
    comment: str = ""
    photos: list[Photo] = []
    failed: str | None = None
    critical: bool = False
    score: float | None = None


class AnswerList(msgspec.Struct, tag="answers"):
    kind: ClassVar[str] = "answers"
    key: str
    title: str
    score: float | None
    answers: list[Answer]
    score_text: str = ""  # the score as the reader writes numbers


Block = Paragraph | Figure | Table | AnswerList | Pager


class Section(msgspec.Struct):
    """A part of a report; ``method`` says in a few sentences how its figures are computed
    (a collapsed "How this is computed" note on the page, a small print note in the PDF)."""

    key: str
    title: str
    blocks: list[Block]
    method: str = ""


class Report(msgspec.Struct):
    """A whole report. ``facts`` are the label/value pairs of its heading (and PDF cover)."""

    kind: str
    title: str
    subtitle: str
    lang: str
    facts: list[tuple[str, str]]
    summary: list[str]
    sections: list[Section]

    def figures(self) -> list[Figure]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Figure)]

    def tables(self) -> list[Table]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables() if t.key == key), None)


# The number language of the report being built (set by ``localised_numbers``), so every
# helper below writes 71,5 for a Greek reader without each call passing the language on.
_number_language: ContextVar[str] = ContextVar("report_number_language", default="en")
Builder = TypeVar("Builder", bound=Callable[..., Any])


def localised_numbers(build: Builder) -> Builder:
    """A report builder whose numbers (tables, facts, summary, chart separators) are written
    in its ``lang`` keyword: ``71.5`` / ``71,5`` / ``۷۱٫۵``."""

    @functools.wraps(build)
    def in_language(*args: Any, **kwargs: Any) -> Any:
        token = _number_language.set(kwargs.get("lang", "en"))
        try:
            return build(*args, **kwargs)
        finally:
            _number_language.reset(token)

    return in_language  # type: ignore[return-value]


def fmt(value: float | None, digits: int = 1) -> str:
    """A number as reports show it in the reader's language, with a true minus sign and
    never "−0.0"; a missing one as an en dash."""
    if value is None:
        return "–"
    value = round(float(value), digits)
    lang = _number_language.get()
    text = f"{abs(value):,.{digits}f}".translate(_number_style(lang).marks)
    return signed(text, value < 0, lang)


class _NumberStyle(NamedTuple):
    marks: dict[int, str]  # Python's "," "." and digits → the language's
    percent: str


@functools.cache
def _number_style(lang: str) -> _NumberStyle:
    """How ``lang`` writes numbers, learnt once from ``format_number`` (Babel): a report writes
    thousands of numbers, and Babel takes ~14 µs for each."""
    probe = format_number(1234.5, lang, 1)  # 1,234.5 · 1.234,5 · 1 234,5 · ۱٬۲۳۴٫۵
    marks = {ord(","): probe[1], ord("."): probe[5]}
    marks.update({ord(str(d)): format_number(d, lang) for d in range(10)})
    return _NumberStyle(str.maketrans(marks), percent_sign(lang))


def report_language() -> str:
    """The language of the report being built (see ``localised_numbers``)."""
    return _number_language.get()


def day_text(value: dt.date, weekday: bool = False) -> str:
    """A date in the report's language and calendar (Solar Hijri in Persian), after its
    weekday's name with ``weekday``."""
    lang = _number_language.get()
    return format_weekday_day(value, lang) if weekday else format_day(value, lang)


def moment_text(value: dt.datetime, weekday: bool = False) -> str:
    """A date and time of day (on the clock the value carries) in the report's language."""
    return format_moment(value, _number_language.get(), weekday)


def percent(share: float | None) -> str:
    """A share (0.15) as a whole percentage: ``15%``, in Persian ``۱۵٪``."""
    if share is None:
        return "–"
    return fmt(share * 100, 0) + _number_style(_number_language.get()).percent


def code_text(code: str) -> str:
    """A branch, region or staff code in a sentence of the report: isolated left-to-right in
    Persian (:func:`reports.formatting.isolated`)."""
    return isolated(code, _number_language.get())


def percent_value(value: float, digits: int = 0) -> str:
    """A percentage given as such (95, 99.8) with its sign: ``99.8%``, in Persian ``۹۹٫۸٪``."""
    return fmt(value, digits) + _number_style(_number_language.get()).percent


def chart_separators() -> str:
    """Plotly's ``layout.separators`` for the report's language: decimal mark, thousands mark."""
    marks = _number_style(_number_language.get()).marks
    return marks[ord(".")] + marks[ord(",")]


def right_to_left() -> bool:
    """Whether the report being built reads right to left (its charts are mirrored)."""
    return _number_language.get() == "fa"


def interval(low: float | None, high: float | None) -> str:
    """``71.2 – 84.0``, ``−13.1 – −3.8``: spaced, so a negative bound stays readable, with
    no-break spaces and each bound whole (:func:`reports.formatting.signed`)."""
    return "–" if low is None or high is None else number_range(fmt(low), fmt(high))


def rank_range(rank: int, low: int, high: int) -> str:
    """A rank with its interval, ``1 (1–8)``, on one line: a no-break space before the
    bracket and a word joiner after the dash."""
    return f"{fmt(rank, 0)}\u00a0({fmt(low, 0)}–\u2060{fmt(high, 0)})"


def between(low: float | None, high: float | None, _: Translate) -> str:
    """An interval in words, to whole points: ``between 71 and 84``; a narrow one (under
    ``WHOLE`` points) to a decimal, so that it never reads "between 98 and 98"."""
    if low is None or high is None:
        return "–"
    digits = 0 if high - low >= WHOLE else 1
    return _("between %(low)s and %(high)s") % {
        "low": fmt(low, digits),
        "high": fmt(high, digits),
    }


WHOLE = 5.0  # points: an interval at least this wide is written in whole points


def likely(bounds: Interval | None, _: Translate) -> str:
    """An interval of the analysis as :func:`between` writes it; a missing one as a dash."""
    return "–" if bounds is None else between(bounds.low, bounds.high, _)


def rank_words(bounds: RankInterval | None, _: Translate) -> str:
    """A rank interval in whole ranks: ``rank 2 to 19``."""
    if bounds is None:
        return "–"
    return _("rank %(low)s to %(high)s") % {
        "low": fmt(bounds.low, 0),
        "high": fmt(bounds.high, 0),
    }


def branch_label(code: str, name: str | None) -> str:
    """A branch as a reader knows it, name first with its code: ``Kifisia (B07)``; the code
    isolated in Persian (:func:`code_text`), so that it never joins the words around it."""
    return f"{name} ({code_text(code)})" if name and name != code else code_text(code)


def span(bounds: Interval | RankInterval | None) -> str:
    """An interval of the analysis as :func:`interval` writes it; a missing one as a dash."""
    return "–" if bounds is None else interval(bounds.low, bounds.high)


def channel_name(code: str, _: Translate) -> str:
    """A channel (``in_person``) in the reader's words (web/terms.py lists them)."""
    return _(code.replace("_", " "))


def num(value: float | None, digits: int = 1) -> Cell:
    return Cell(fmt(value, digits), css="num")


def prose(text: str) -> Cell:
    """A cell of running text (a question, a comment): it wraps instead of widening the table."""
    return Cell(text, css="wrap")


PRINTED_ROWS = 60


def make_table(
    key: str,
    title: str,
    columns: list[str],
    rows: list[tuple[list[Cell], list[Any]]],
    row_css: list[str] | None = None,
    *,
    always_printed: bool = False,
) -> Table:
    """A table from (cells shown, raw values for the CSV) pairs. Past ``PRINTED_ROWS`` rows it
    is left out of the PDF (WeasyPrint lays out a long table slowly and nobody reads 200 rows
    on paper) unless ``always_printed``; the page and the CSV keep every row."""
    printed = always_printed or len(rows) <= PRINTED_ROWS
    return Table(
        key,
        title,
        columns,
        [r[0] for r in rows],
        [r[1] for r in rows],
        row_css or [],
        printed=printed,
    )


Row = TypeVar("Row")


@dataclass(frozen=True)
class Column(Generic[Row]):
    """One column of a report table, for the page (and PDF) and the CSV at once.

    ``cell`` writes a row's cell as shown; ``csv`` gives its raw value for the CSV download.
    A column without ``cell`` is in the CSV only (an audit id, an interval's two bounds), one
    without ``csv`` on the page only (an interval written as text). The CSV header is
    ``csv_title`` where given, else ``title``."""

    title: str
    cell: Callable[[Row], Cell] | None = None
    csv: Callable[[Row], Any] | None = None
    csv_title: str | None = None


@dataclass(frozen=True)
class CsvOnly:
    """Where a chain's long tables go (a head-office report of thousands of branches): a table
    of more than ``limit`` rows is in its CSV only, the page and PDF saying how many rows it
    has. Its cells are written only for the CSV that asks for it (``wanted``, a table's key):
    thousands of rows of cells that nothing shows would cost the page seconds."""

    wanted: str | None = None
    limit: int = 100

    def left_out(self, key: str, count: int) -> bool:
        """Whether a table of ``count`` rows is left to its CSV with its rows not built: past
        the limit, too long for the PDF too (``PRINTED_ROWS``), and not the CSV asked for."""
        return count > max(self.limit, PRINTED_ROWS) and key != self.wanted

    def always(self) -> CsvOnly:
        """The same, for a table in its CSV only however short (a chain's branches × sections,
        even an empty one)."""
        return CsvOnly(self.wanted, limit=-1)


def csv_only_table(key: str, title: str, count: int) -> Table:
    """A table in its CSV only, its ``count`` rows not built (see ``CsvOnly``)."""
    return Table(key, title, [], [], [], printed=False, on_page=False, count=count)


def table(
    key: str,
    title: str,
    columns: Sequence[Column[Row]],
    rows: Iterable[Row],
    row_css: Callable[[Row], str] | None = None,
    *,
    always_printed: bool = False,
    csv_only: CsvOnly | None = None,
) -> Table:
    """A table whose page cells and CSV values both come from ``columns``, one row each of
    ``rows``; ``row_css`` marks a row (``failed``, ``below``). Printed as ``make_table``; with
    ``csv_only``, past its limit, in the CSV only (its cells written for its CSV alone)."""
    rows = list(rows)
    if csv_only is not None and len(rows) > csv_only.limit:
        if not always_printed and csv_only.left_out(key, len(rows)):
            return csv_only_table(key, title, len(rows))
        made = table(key, title, columns, rows, row_css, always_printed=always_printed)
        made.on_page = False
        return made
    shown = [c.cell for c in columns if c.cell is not None]
    saved = [c.csv for c in columns if c.csv is not None]
    headers = [c.title for c in columns if c.cell is not None]
    csv_headers = [c.csv_title or c.title for c in columns if c.csv is not None]
    made = make_table(
        key,
        title,
        headers,
        [([cell(r) for cell in shown], [value(r) for value in saved]) for r in rows],
        [row_css(r) for r in rows] if row_css else None,
        always_printed=always_printed,
    )
    if csv_headers != headers:
        made.csv_columns = csv_headers
    return made


def signal_name(rule: str, _: Translate) -> str:
    """A control-chart signal of the analysis (``reports.trends``) in the reader's words."""
    names = {
        "limit": _("beyond the alarm limit"),
        "cusum_up": _("sustained rise"),
        "cusum_down": _("sustained fall"),
    }
    return names.get(rule, rule)
