"""The tester's attack on anonymity, as code: take every value an artefact shows per visit and
ask whether grouping visits by it tells the shoppers apart better than chance.

Values are not looked up by name: every figure trace, table column, CSV column, JSON field,
page position, header and every number inside them that lines up with the visits is a series.
Each series is grouped by its value, by each number in it, and by each number's difference
from the visit's score as given; a grouping is compared with the true shoppers by the
adjusted Rand index (ARI: 0 is chance, 1 names every shopper). The null is a permutation of
the shoppers among visits of similar score: what the score a manager may read already says
about its shopper is not a leak, anything beyond it is.
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from typing import Any

import numpy as np

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
VISIT_LINK = re.compile(rf"/(?:reports/visits|branch-audits)/({UUID})")
NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")
MIN_VISITS = 8  # a series seen on fewer visits cannot group four shoppers reliably
PERMUTATIONS = 2000
STRATUM = 4  # visits of similar score whose shoppers the null shuffles
ALPHA = 0.005
MIN_ARI = 0.1


def adjusted_rand(a: Iterable[Any], b: Iterable[Any]) -> float:
    """Hubert and Arabie's adjusted Rand index of two labellings of the same items."""
    return _ari(_codes(a), _codes(b))


def _codes(labels: Iterable[Any]) -> np.ndarray:
    return np.unique(np.array([str(x) for x in labels]), return_inverse=True)[1]


def _pairs(x: np.ndarray) -> float:
    return float((x * (x - 1)).sum() / 2)


def _ari(a: np.ndarray, b: np.ndarray) -> float:
    table = np.bincount(a * (b.max() + 1) + b, minlength=(a.max() + 1) * (b.max() + 1))
    rows, cols = _pairs(np.bincount(a)), _pairs(np.bincount(b))
    expected = rows * cols / _pairs(np.array([len(a)]))
    top = (rows + cols) / 2
    return 0.0 if top == expected else (_pairs(table) - expected) / (top - expected)


class Finding(dict):
    """One grouping tried: series, how it was grouped, ARI, permutation p."""


class Observations:
    """Per-visit values found in the artefacts, by series name."""

    def __init__(self, shopper_of: dict[str, str], score_of: dict[str, float]) -> None:
        self.shopper_of, self.score_of = shopper_of, score_of
        self.series: dict[str, dict[str, str]] = defaultdict(dict)
        self.artefacts: set[str] = set()
        self._tested: dict[tuple, tuple[float, float]] = {}

    def add(self, series: str, visit: str, value: Any) -> None:
        if visit in self.shopper_of:
            self.series[series][visit] = _text(value)

    def add_many(self, artefact: str, values: Iterable[tuple[str, str, Any]]) -> None:
        self.artefacts.add(artefact)
        for series, visit, value in values:
            self.add(f"{artefact} {series}", visit, value)

    def findings(self) -> Iterator[Finding]:
        for name, values in sorted(self.series.items()):
            if len(values) < MIN_VISITS:
                continue
            for how, labels in _groupings(values, self.score_of):
                yield self._test(f"{name} [{how}]", labels)

    def _test(self, name: str, labels: dict[str, str]) -> Finding:
        visits = sorted(labels, key=lambda v: (self.score_of[v], v))
        grouping = _codes(labels[v] for v in visits)
        key = (tuple(visits), tuple(grouping))  # many series group the visits alike
        if key not in self._tested:
            self._tested[key] = self._permutation_test(visits, grouping)
        ari, p = self._tested[key]
        return Finding(series=name, visits=len(visits), ari=round(ari, 3), p=p)

    def _permutation_test(self, visits: list[str], grouping: np.ndarray) -> tuple[float, float]:
        truth = _codes(self.shopper_of[v] for v in visits)
        ari = _ari(grouping, truth)
        if ari <= MIN_ARI:
            return ari, 1.0
        rng = np.random.default_rng(len(visits))
        beaten = 0
        for n in range(1, PERMUTATIONS + 1):
            beaten += _ari(grouping, _shuffled_within_strata(truth, rng)) >= ari
            if (1 + beaten) / (1 + PERMUTATIONS) > ALPHA:  # cannot reach ALPHA any more
                return ari, (1 + beaten) / (1 + n)
        return ari, (1 + beaten) / (1 + PERMUTATIONS)

    def leaks(self) -> list[Finding]:
        return [f for f in self.findings() if f["ari"] > MIN_ARI and f["p"] <= ALPHA]


def _shuffled_within_strata(labels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    out = labels.copy()
    for start in range(0, len(out), STRATUM):
        rng.shuffle(out[start : start + STRATUM])
    return out


def _groupings(values: dict[str, str], score_of: dict[str, float]):
    """The value itself; each number in it; each number less the visit's score as given."""
    yield "value", values
    numbers = {v: NUMBER.findall(text) for v, text in values.items()}
    width = max((len(n) for n in numbers.values()), default=0)
    for i in range(min(width, 8)):
        picked = {v: _float(n[i]) for v, n in numbers.items() if len(n) > i}
        if len(picked) < MIN_VISITS:
            continue
        yield f"number {i}", {v: f"{x:g}" for v, x in picked.items()}
        for decimals in (1, 0):
            yield (
                f"number {i} - score ({decimals} dp)",
                {v: f"{round(x - score_of[v], decimals) + 0.0:g}" for v, x in picked.items()},
            )


def _float(token: str) -> float:
    return float(token.replace(",", "."))


def _text(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, default=str)
    return " ".join(str(value).split())


# --- extraction: figures, tables, pages, CSV, JSON ---------------------------------------


def figure_values(page: str) -> Iterator[tuple[str, str, Any]]:
    """Every array in a figure embedded in ``page`` that has one entry per linked visit."""
    for f, raw in enumerate(re.findall(r'data-figure="([^"]*)"', page)):
        figure = json.loads(html.unescape(raw))
        links = [
            c
            for trace in figure.get("data", [])
            for c in [trace.get("customdata")]
            if isinstance(c, list) and c and all(VISIT_LINK.search(str(x)) for x in c)
        ]
        if not links:
            continue
        visits = [VISIT_LINK.search(str(x)).group(1) for x in links[0]]
        for t, trace in enumerate(figure.get("data", [])):
            for path, array in _arrays(trace):
                if len(array) == len(visits):
                    for visit, value in zip(visits, array, strict=True):
                        yield f"figure {f} trace {t} {path}", visit, value


def _arrays(node: Any, path: str = "") -> Iterator[tuple[str, list]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _arrays(value, f"{path}.{key}")
    elif isinstance(node, list):
        yield path, node


class _Page(HTMLParser):
    """Text nodes with a structural position; tables' rows with their visit links."""

    SKIP = {"script", "style"}

    def __init__(self, allowed_class: str) -> None:
        super().__init__(convert_charrefs=True)
        self.allowed_class = allowed_class
        self.stack: list[tuple[str, str]] = []
        self.counts: list[dict[str, int]] = [defaultdict(int)]
        self.texts: list[tuple[str, str]] = []
        self.attributes: list[tuple[str, str]] = []
        self.rows: list[tuple[int, list[str], list[str]]] = []  # (table, links, cells)
        self.tables = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        n = self.counts[-1][tag]
        self.counts[-1][tag] += 1
        label = f"{tag}#{attrs.get('id') or ''}.{attrs.get('class') or ''}[{n}]"
        if tag in ("br", "img", "input", "meta", "link", "hr"):
            self._attrs(label, attrs)
            return
        self.stack.append((tag, label))
        self.counts.append(defaultdict(int))
        self._attrs(label, attrs)
        if tag == "table":
            self.tables += 1
        elif tag == "tr":
            self.rows.append((self.tables, [], []))
        elif tag == "td":
            self.rows[-1][2].append("") if self.rows else None

    def handle_endtag(self, tag):
        while self.stack:
            top, _ = self.stack.pop()
            self.counts.pop()
            if top == tag:
                break

    def handle_data(self, data):
        text = " ".join(data.split())
        if not text or self._inside_skipped():
            return
        self.texts.append(("/".join(label for _, label in self.stack), text))
        if self.rows and self._inside("td") and self.rows[-1][2]:
            self.rows[-1][2][-1] += " " + text

    def _attrs(self, label: str, attrs: dict) -> None:
        if self._inside_skipped():
            return
        path = "/".join(lab for _, lab in self.stack) + "/" + label
        for key, value in attrs.items():
            if value and key not in ("class", "id", "data-figure"):
                self.attributes.append((f"{path}@{key}", value))
                if self.rows and self._inside("tr") and VISIT_LINK.search(value):
                    self.rows[-1][1].append(VISIT_LINK.search(value).group(1))

    def _inside(self, tag: str) -> bool:
        return any(t == tag for t, _ in self.stack)

    def _inside_skipped(self) -> bool:
        return any(
            t in self.SKIP or self.allowed_class in label.split(".", 1)[-1].split("[")[0].split()
            for t, label in self.stack
        )


def page_positions(page: str, visit: str, allowed_class: str = "answers"):
    """Every text and attribute of one visit's page by its place on the page, except the
    answers themselves (inside ``allowed_class``), which a manager may read."""
    parser = _Page(allowed_class)
    parser.feed(page)
    seen: dict[str, int] = defaultdict(int)
    for path, value in [*parser.texts, *parser.attributes]:
        seen[path] += 1
        yield f"{path}#{seen[path]}", visit, value


def table_rows(page: str) -> Iterator[tuple[str, str, Any]]:
    """Each cell of each table row that links to one visit, by table and column."""
    parser = _Page("\0")
    parser.feed(page)
    for table, links, cells in parser.rows:
        if len(set(links)) == 1:
            for c, cell in enumerate(cells):
                yield f"table {table} column {c}", links[0], cell


def cards(page: str) -> Iterator[tuple[str, str, Any]]:
    """Each list item of a page that links to one visit, its texts by position."""
    for item in re.findall(r"<li[^>]*>(.*?)</li>", page, flags=re.S):
        links = set(VISIT_LINK.findall(item))
        if len(links) == 1:
            for series, _, value in page_positions(item, ""):
                yield f"card {series}", next(iter(links)), value


def csv_rows(text: str) -> Iterator[tuple[str, str, Any]]:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0] if rows else []
    for row in rows[1:]:
        visits = {m for cell in row for m in re.findall(UUID, cell)}
        if len(visits) == 1:
            for c, cell in enumerate(row):
                yield f"column {header[c] if c < len(header) else c}", next(iter(visits)), cell


def json_fields(
    node: Any, visit: str | None = None, path: str = "", skip: frozenset = frozenset()
) -> Iterator[tuple[str, str, Any]]:
    """Every scalar in a JSON document by its path, keyed by the visit of its nearest
    enclosing object with an ``id`` or ``audit`` naming one; ``skip`` names allowed keys."""
    if isinstance(node, dict):
        own = node.get("audit") or node.get("id")
        if isinstance(own, str) and re.fullmatch(UUID, own):
            visit = own
        for key, value in node.items():
            if key not in skip:
                yield from json_fields(value, visit, f"{path}.{key}", skip)
    elif isinstance(node, list):
        for value in node:
            yield from json_fields(value, visit, f"{path}[]", skip)
    elif visit is not None:
        yield path, visit, node


def pdf_visit_lines(text: str, visits_in_order: list[str]) -> Iterator[tuple[str, str, Any]]:
    """The PDF's visits table: the last lines that start with a date, one per visit, in the
    CSV's order; each column (split on wide gaps) a series."""
    lines = [line.strip() for line in text.splitlines() if re.match(r"\s*\d{4}-\d{2}-\d{2}", line)]
    rows = lines[-len(visits_in_order) :] if len(lines) >= len(visits_in_order) else []
    for line, visit in zip(rows, visits_in_order, strict=False):
        for c, cell in enumerate(re.split(r"\s{2,}", line)):
            yield f"column {c}", visit, cell
