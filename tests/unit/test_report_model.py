"""How reports write numbers, intervals, channels and long labels."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports import figures
from reports.formatting import format_number
from reports.report_model import (
    Cell,
    Column,
    CsvOnly,
    channel_name,
    fmt,
    interval,
    localised_numbers,
    num,
    percent,
    table,
)
from reports.visit import plain_number


@pytest.mark.parametrize(
    ("value", "digits", "shown"),
    [
        (-8.46, 1, "−8.5"),  # a true minus sign, not a hyphen
        (-0.04, 1, "0.0"),  # never "−0.0"
        (0.0, 1, "0.0"),
        (12.345, 2, "12.35"),
        (None, 1, "–"),
    ],
)
def test_fmt_writes_a_minus_sign_and_no_negative_zero(value, digits, shown):
    assert fmt(value, digits) == shown


def test_interval_stays_readable_with_negative_bounds():
    assert interval(-13.14, -3.81) == "−13.1\xa0–\xa0−3.8"
    assert interval(71.2, 84.04) == "71.2\xa0–\xa084.0"
    assert interval(None, 3) == "–"


def test_channel_names_are_words_in_the_reader_s_language():
    greek = {"in person": "δια ζώσης"}
    assert channel_name("in_person", lambda s: greek.get(s, s)) == "δια ζώσης"
    assert channel_name("phone", str) == "phone"


def test_long_bar_labels_are_cut_on_the_axis_and_whole_on_hover():
    question = "Did the staff member explain things in their own words, rather than rules?"
    fig = figures.bars([question, "Short"], [40, 90], title="t", x_label="%")
    axis = fig["layout"]["yaxis"]
    shown = dict(zip(axis["tickvals"], axis["ticktext"], strict=True))
    assert shown["Short"] == "Short"
    assert shown[question].endswith("…") and len(shown[question]) <= figures.LABEL_CHARS
    assert question.startswith(shown[question][:-1])
    assert fig["data"][0]["y"][0] == question  # hover shows the whole question


@localised_numbers
def _written(value, digits=1, *, lang):
    return fmt(value, digits), interval(value, -value), percent(0.15)


@pytest.mark.parametrize(
    ("lang", "number", "bounds", "share"),
    [
        # No-break spaces around the dash: an interval stays on one line.
        ("en", "1,234.5", "1,234.5\xa0–\xa0−1,234.5", "15%"),
        # Greek and Polish set the percent sign apart, as their pages do (CLDR).
        ("el", "1.234,5", "1.234,5\xa0–\xa0−1.234,5", "15\xa0%"),
        ("pl", "1\xa0234,5", "1\xa0234,5\xa0–\xa0−1\xa0234,5", "15\xa0%"),
        # Persian digits and separators; a negative number isolated left-to-right (U+2066-9)
        # with a word joiner (U+2060) between its sign and its digits.
        ("fa", "۱٬۲۳۴٫۵", "۱٬۲۳۴٫۵\xa0–\xa0\u2066−\u2060۱٬۲۳۴٫۵\u2069", "۱۵٪"),
    ],
)
def test_a_report_writes_numbers_as_its_reader_does(lang, number, bounds, share):
    assert _written(1234.5, lang=lang) == (number, bounds, share)


def test_numbers_outside_a_report_builder_stay_english():
    _written(2.5, lang="fa")
    assert fmt(2.5) == "2.5"  # the language does not leak out of the builder


@pytest.mark.parametrize(("lang", "separators"), [("en", ".,"), ("el", ",."), ("fa", "٫٬")])
def test_charts_of_a_report_use_the_reader_s_decimal_mark(lang, separators):
    draw = localised_numbers(lambda *, lang: figures.bars(["a"], [1.5], title="t", x_label="%"))
    assert draw(lang=lang)["layout"]["separators"] == separators


@pytest.mark.parametrize(
    ("answer", "greek", "persian"),
    [(9, "9", "۹"), (3.0, "3", "۳"), (2.5, "2,5", "۲٫۵"), (12345678.25, "12.345.678,25", None)],
)
def test_a_number_answer_keeps_its_own_decimals_in_the_reader_s_digits(answer, greek, persian):
    shown = localised_numbers(lambda *, lang: plain_number(answer))
    assert shown(lang="el") == greek
    if persian:
        assert shown(lang="fa") == persian


@given(
    value=st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    digits=st.integers(0, 2),
    lang=st.sampled_from(["en", "el", "pl", "fa"]),
)
def test_fast_report_numbers_are_babel_s_numbers(value, digits, lang):
    shown = localised_numbers(lambda *, lang: fmt(value, digits))(lang=lang)
    rounded = round(value, digits)
    assert shown == format_number(rounded, lang, digits)


def test_a_column_spec_makes_the_page_cells_and_the_csv_from_one_list():
    rows = [("B1", 71.25, (68.0, 74.5)), ("B2", 64.0, (60.25, 67.75))]
    columns = [
        Column("Branch", lambda r: Cell(r[0], href=f"/b/{r[0]}"), lambda r: r[0], "branch"),
        Column("Mean", lambda r: num(r[1]), lambda r: r[1], "mean"),
        Column("Interval", lambda r: Cell(interval(*r[2]))),  # on the page only
        Column("interval_low", csv=lambda r: r[2][0]),  # in the CSV only
        Column("interval_high", csv=lambda r: r[2][1]),
    ]
    made = table("league", "League", columns, rows, lambda r: "below" if r[1] < 65 else "")
    assert made.columns == ["Branch", "Mean", "Interval"]
    assert [[c.text for c in row] for row in made.rows] == [
        ["B1", "71.2", "68.0\xa0–\xa074.5"],
        ["B2", "64.0", "60.2\xa0–\xa067.8"],
    ]
    assert made.rows[0][0].href == "/b/B1" and made.rows[0][1].css == "num"
    assert made.csv_columns == ["branch", "mean", "interval_low", "interval_high"]
    assert made.csv == [["B1", 71.25, 68.0, 74.5], ["B2", 64.0, 60.25, 67.75]]
    assert made.row_css == ["", "below"]


def test_a_table_whose_csv_has_the_page_s_columns_names_them_once():
    made = table("t", "T", [Column("Shift", lambda r: Cell(r), lambda r: r)], ["early", "late"])
    assert made.columns == ["Shift"] and made.csv_columns == [] and made.row_css == []
    assert made.csv == [["early"], ["late"]]


def _counted_columns(written: list[int]) -> list[Column[int]]:
    def cell(r: int) -> Cell:
        written.append(r)
        return num(r, 0)

    return [Column("N", cell, lambda r: r, "n")]


@pytest.mark.parametrize(
    ("count", "wanted", "built", "on_page"),
    [(100, None, True, True), (101, None, False, False), (5000, None, False, False),
     (5000, "n", True, False), (5000, "other", False, False)],
)  # fmt: skip
def test_a_chain_s_long_table_is_built_only_for_its_csv(count, wanted, built, on_page):
    written: list[int] = []
    made = table("n", "N", _counted_columns(written), range(count),
                 csv_only=CsvOnly(wanted, limit=100))  # fmt: skip
    assert made.row_count() == count
    assert made.on_page is on_page and not made.printed  # past 60 rows, never in the PDF
    assert (len(written), len(made.csv)) == ((count, count) if built else (0, 0))
    if built:
        assert made.csv == [[r] for r in range(count)] and made.csv_columns == ["n"]


def test_a_table_always_in_its_csv_is_still_printed_while_short():
    written: list[int] = []
    made = table("n", "N", _counted_columns(written), range(45), csv_only=CsvOnly().always())
    assert not made.on_page and made.printed and len(made.rows) == 45  # the PDF has it
    written.clear()
    made = table("n", "N", _counted_columns(written), range(61), csv_only=CsvOnly().always())
    assert not made.on_page and not made.printed and not written and made.row_count() == 61
