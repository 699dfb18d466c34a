"""What a reader sees, and the words in it that are not in the reader's language.

Used by ``test_every_word_in_the_reader_s_language``: the visible text of a page (its text, the
attributes a person reads, the words of its charts), then English words, Latin digits in
Persian text and numbers split from their signs. A complete catalog cannot fool it: it reads
what was rendered, not what was translated.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

LOCALES = Path(__file__).resolve().parents[2] / "web" / "locales"

ALLOWED = {
    "Evenly": "the product's name, a brand written the same in every script",
    **dict.fromkeys(
        ("CSV", "PDF", "YAML", "JPEG", "PNG", "WebP"),
        "a file format's name, written so in Greek, Polish and Persian too",
    ),
    "MB": "the unit of file sizes, written so in every language",
    "API": "the name of the programming interface, written so in every language",
    "JSON": "a file format's name (a person's data downloads as JSON), written so everywhere",
    "URL": "a web address's name, written so in Greek, Polish and Persian technical text",
    "Webhooks": "the technique's name as the receiving systems' own documentation writes it",
    "webhook": "the technique's name as the receiving systems' own documentation writes it",
    "ISO": "the standard's name (ISO dates in CSV files)",
    **dict.fromkeys(("HH", "MM"), "the HH:MM notation of times in CSV files, as written"),
    "ICC": "the statistic's symbol, as textbooks in each language write it",
    "mail": "'e-mail' is the Greek and Polish word",
    "English": "the language named in its own words in the language choices",
    "Polski": "the language named in its own words in the language choices",
}
# Branch, region and staff codes: B07, B1-S2. A code may touch the next Persian word in a
# PDF's text: pdftotext puts the space around a left-to-right word of a right-to-left line
# before it ("شعبه B1در"), though the page draws the two words apart (-bbox shows the gap).
CODE = re.compile(r"\b[A-Z]{1,3}\d+(?:-S\d+)?(?![A-Za-z0-9])")
# A whole word of Latin letters only: "one" inside the Polish "złożone" is not a word.
LATIN_WORD = re.compile(r"(?<![^\W\d_])[A-Za-z]{2,}(?![^\W\d_])")
LATIN_DIGIT = re.compile(r"[0-9]+")
SPLIT_SIGN = re.compile(r"(?:^|[\s(])[\u2212-]\s+[0-9۰-۹]")
BIDI_MARKS = dict.fromkeys(
    map(ord, "\u202a\u202b\u202c\u202d\u202e\u200e\u200f\u2066\u2067\u2068\u2069")
)
SKIPPED_TAGS = {"script", "style", "template", "code", "pre", "textarea", "kbd"}
URL = re.compile(r"https?://\S+")
READ_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")
FIGURE_TEXT_KEYS = {"text", "name", "ticktext", "x", "y", "hovertext"}


class _Visible(HTMLParser):
    """Text a person reads: body text, read attributes, and the words of Plotly figures.

    The language switcher is left out: each language is named in its own words there."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in SKIPPED_TAGS or "languages" in (found.get("class") or "").split():
            self.skipping.append(tag)
        if self.skipping:
            return
        self.parts += [found[a] or "" for a in READ_ATTRIBUTES if found.get(a)]
        if found.get("data-figure"):
            self.parts += list(_figure_words(_shown(json.loads(found["data-figure"] or "{}"))))
        if tag == "input" and found.get("type") in ("submit", "button") and found.get("value"):
            self.parts.append(found["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def _shown(figure: dict[str, Any]) -> dict[str, Any]:
    """The figure without the coordinates no one reads: a trace's x (or y) values on an axis
    whose ticks the app names itself (``ticktext``, a date axis in the reader's calendar),
    when the trace's hover does not show them either (skipped, or a template without them).
    Plotly draws such values nowhere, so ISO dates there are data, not text."""
    layout = figure.get("layout") or {}
    traces = []
    for trace in figure.get("data") or []:
        trace = dict(trace)
        for axis in ("x", "y"):
            named = "ticktext" in (layout.get(f"{axis}axis") or {})
            template = trace.get("hovertemplate")
            silent = trace.get("hoverinfo") in ("skip", "none") or (
                template is not None and f"%{{{axis}}}" not in template
            )
            if named and silent:
                trace.pop(axis, None)
        traces.append(trace)
    return {**figure, "data": traces}


def _figure_words(node: Any, key: str = "") -> list[str]:
    """The strings a chart shows: titles, trace names, category labels, tick texts."""
    if isinstance(node, dict):
        if key in ("customdata", "meta"):
            return []
        return [w for k, v in node.items() for w in _figure_words(v, k)]
    if isinstance(node, list):
        return [w for v in node for w in _figure_words(v, key)]
    if isinstance(node, str) and key in FIGURE_TEXT_KEYS and not node.startswith("/"):
        return [node]
    return []


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return "\n".join(p for p in parser.parts if p.strip())


def _vocabulary(texts: list[str]) -> set[str]:
    return {w.lower() for t in texts for w in LATIN_WORD.findall(re.sub(r"%\(\w+\)s", "", t))}


def polish_english_only() -> set[str]:
    """Words of the English interface that Polish does not use: a Polish page is Latin script,
    so an English word there is one of these (``answered``, ``morning``), not any Latin word."""
    with (LOCALES / "pl" / "LC_MESSAGES" / "messages.po").open("rb") as file:
        catalog = read_po(file)
    ids = [str(m.id) for m in catalog if m.id]
    polish = [str(m.string) for m in catalog if m.id]
    computed = ["Mon Tue Wed Thu Fri Sat Sun Jan Feb Apr Jun Jul Aug Sep Oct Nov Dec"]
    return {w for w in _vocabulary(ids + computed) if len(w) > 2} - _vocabulary(polish)


def offences(text: str, lang: str, data: set[str], english_only: set[str]) -> list[str]:
    """What is wrong in ``text`` for a reader of ``lang``: English words, Latin digits in
    Persian, numbers split from their sign. ``data`` are words people typed (names, comments),
    shown as typed."""
    # one space between words, as in what people typed: a PDF's lines break a typed comment
    text = " ".join(URL.sub(" ", text.translate(BIDI_MARKS)).split())
    found = [f"split sign {m.group(0).strip()!r}" for m in SPLIT_SIGN.finditer(text)]
    for word in sorted(data, key=len, reverse=True):  # whole comments before their words
        text = text.replace(" ".join(word.split()), " ")
    text = CODE.sub(" ", text)
    # a typed comment the PDF broke over lines (or reordered inside right-to-left text) is
    # still what people typed: its words are theirs
    typed_words = {w for phrase in data for w in LATIN_WORD.findall(phrase)}
    for word in LATIN_WORD.findall(text):
        if word in ALLOWED or word in typed_words:
            continue
        if lang in ("el", "fa") or word.lower() in english_only:
            found.append(word)
    if lang == "fa":
        found += [
            f"Latin digits «{' '.join(text[max(0, m.start() - 12) : m.end() + 12].split())}»"
            for m in LATIN_DIGIT.finditer(text)
        ]
        found += [f"sign after {m.group(0)!r}" for m in re.finditer(r"[۰-۹]\u2212(?![۰-۹])", text)]
    return sorted(set(found))
