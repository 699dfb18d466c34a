"""CSV cells a spreadsheet would run are neutralised; numbers stay numbers; the guard reverses."""

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audits.boundary.csv_guard import GuardedWriter, guard_cell, unguard_cell


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'=1", "''=1"),  # so that reading it back gives '=1, not =1
        ("-3.5", "-3.5"),
        ("+4", "+4"),
        ("-1e3", "-1e3"),
        ("a\x00b\x07c\x1fd", "abcd"),
        ("=\x00x", "'=x"),
        ("line one\nline two\ttab", "line one\nline two\ttab"),
        ("Anna's desk", "Anna's desk"),
        ("", ""),
    ],
)
def test_guard_cell_neutralises_formulas_and_control_characters(cell, written):
    assert guard_cell(cell) == written


@pytest.mark.parametrize("value", [-3.5, -2, 0, None, True])
def test_guard_cell_leaves_non_text_alone(value):
    assert guard_cell(value) is value


@pytest.mark.slow  # hypothesis over all of Unicode: ~10 s
@given(st.text())
def test_unguard_reverses_guard_for_any_text(text):
    printable = "".join(c for c in text if c in "\t\n\r" or not ("\x00" <= c <= "\x1f"))
    assert unguard_cell(guard_cell(text)) == printable


@given(st.text())
def test_guarded_text_never_starts_a_formula(text):
    cell = guard_cell(text)
    if cell.startswith(("=", "+", "-", "@", "\t", "\r")):
        float(cell)  # only a number may start so
    assert not any("\x00" <= c <= "\x1f" and c not in "\t\n\r" for c in cell)


def test_guarded_writer_writes_every_row_through_the_guard():
    out = io.StringIO()
    writer = GuardedWriter(out, lineterminator="\n")
    writer.writerow(["name", "score"])
    writer.writerows([["=1+1", -3.5], ["@me\x00", 7]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["name", "score"],
        ["'=1+1", "-3.5"],
        ["'@me", "7"],
    ]
