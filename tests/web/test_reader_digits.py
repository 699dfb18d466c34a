"""Numbers, codes and answers a Persian, Greek or Polish reader sees written their way (issue
16): the funnel's limits, the trend chart's hovers, a checklist's conditions, and branch codes
kept apart from the Persian words beside them."""

import re
import subprocess
import tempfile

from .action_fixtures import as_user
from .report_helpers import pdf_text
from .test_reader_words import _figure
from .test_report_period import _history

LATIN_DIGIT = re.compile("[0-9]")


def test_funnel_limits_are_named_in_the_reader_s_digits(client, org):
    _history(client, org)
    as_user(client, "ada")
    # Greek writes the sign as its percentages elsewhere (the percent filter): "95 %".
    names_by_language = {"fa": {"۹۵٪", "۹۹٫۸٪"}, "el": {"95\u00a0%", "99,8\u00a0%"}}
    for lang, names in names_by_language.items():
        funnel = _figure(client.get(f"/reports/headoffice?lang={lang}").text, "funnel")
        limits = [t for t in funnel["data"] if t.get("mode") == "lines"]
        assert {t["name"] for t in limits} == names
        dashes = {t["name"]: t["line"]["dash"] for t in limits}
        assert len(set(dashes.values())) == 2  # the two limits still drawn apart


def test_trend_chart_hovers_dates_and_scores_in_persian(client, org):
    _history(client, org)
    as_user(client, "ada")
    trend = _figure(client.get("/reports/branches/B1?lang=fa").text, "trend")
    for trace in trend["data"]:
        if trace.get("hoverinfo") == "skip":  # the centre line and the limits: no hover
            continue
        assert "%{x}" not in trace["hovertemplate"] and "%{y}" not in trace["hovertemplate"]
        assert all(re.search("[۰-۹]", t) and not LATIN_DIGIT.search(t) for t in trace["text"])


def _pdf_words(pdf: bytes) -> list[str]:
    """The words pdftotext finds by their place on the page (-bbox), not by its reading."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        out = subprocess.run(
            ["pdftotext", "-bbox", file.name, "-"], capture_output=True, text=True, check=True
        ).stdout
    return re.findall(r"<word [^>]*>([^<]*)</word>", out)


def test_branch_code_stands_apart_from_the_persian_words_beside_it(client, org):
    _history(client, org)
    as_user(client, "ada")
    page = client.get("/reports/branches/B1?lang=fa").text
    # the summary's sentences isolate the code left-to-right inside the Persian sentence
    assert "\u2066B1\u2069" in page
    pdf = client.get("/reports/branches/B1/pdf?lang=fa").content
    words = _pdf_words(pdf)
    assert "B1" in words
    glued = [w for w in words if "B1" in w and re.search(r"[\u0600-\u06ff]", w)]
    assert not glued, glued
    assert "B1" in pdf_text(pdf)


def test_checklist_page_writes_its_title_and_conditions_in_the_reader_s_words(client, org):
    as_user(client, "ada")
    page = client.get("/checklists/service-fundamentals?lang=fa").text
    title = re.search(r"<title>([^<]*)</title>", page)[1]
    assert "اصول پایه خدمات مشتریان" in title and "{" not in title
    badges = re.findall(r'<span class="badge">(نمایش وقتی .*?)</span>\s*</span>', page, re.S)
    assert badges, "no condition badge"
    assert all(
        "True" not in b and "False" not in b and "_" not in re.sub("<[^>]+>", "", b) for b in badges
    ), badges
    assert any("بله" in b or "خیر" in b for b in badges)
    assert '<a href="#item-' in badges[0]  # names the question, linked


def test_persian_charts_tick_and_hover_their_numbers_in_persian_digits(client, org):
    _history(client, org)
    as_user(client, "ada")
    for key in ("trend", "sections"):
        figure = _figure(client.get("/reports/branches/B1?lang=fa").text, key)
        axis = figure["layout"]["yaxis" if key == "trend" else "xaxis"]
        assert axis["ticktext"] and len(axis["ticktext"]) == len(axis["tickvals"])
        assert all(re.fullmatch("[۰-۹٫٬\u2066\u2069\u2212\u2060]+", t) for t in axis["ticktext"])
    sections = _figure(client.get("/reports/branches/B1?lang=fa").text, "sections")
    for bar in sections["data"]:  # each bar's hover: its section and score, in Persian digits
        assert "%{x}" not in bar["hovertemplate"]
        assert all(re.search("[۰-۹]", h) and not LATIN_DIGIT.search(h) for h in bar["hovertext"])
    english = _figure(client.get("/reports/branches/B1?lang=en").text, "trend")
    assert "ticktext" not in english["layout"]["yaxis"]  # plotly.js's own ticks where they read
