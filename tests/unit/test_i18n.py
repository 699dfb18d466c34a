"""Choosing the reader's language, and the switcher's links."""

import pytest

from web.i18n import accepted_languages, direction, language_url, pick_language


def test_pick_language_explicit_choice_wins_over_the_browser():
    assert pick_language(("pl", "el"), "fa", ("en",)) == "pl"


def test_pick_language_skips_unsupported_explicit_choices():
    assert pick_language(("de", None), "fa;q=0.8, el", ("en",)) == "el"


def test_pick_language_falls_back_to_the_first_supported_default():
    assert pick_language((None,), "de-DE, fr;q=0.9", ("xx", "fa", "en")) == "fa"


def test_pick_language_nothing_supported_is_none():
    assert pick_language((), "de", ("xx",)) is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("el-GR,el;q=0.9,en;q=0.8", ["el", "el", "en"]),
        ("en;q=0.2, fa", ["fa", "en"]),
        ("pl;q=0, en", ["en"]),
        ("fa;q=abc, el", ["el"]),
        ("", []),
    ],
)
def test_accepted_languages_best_first(header, expected):
    assert accepted_languages(header) == expected


def test_language_url_keeps_the_query_and_replaces_lang():
    url = language_url("/audits/new", "branch=B1&lang=el&id=42", "fa")
    assert url == "/audits/new?branch=B1&id=42&lang=fa"


def test_direction_persian_is_right_to_left():
    assert [direction(code) for code in ("en", "el", "pl", "fa")] == ["ltr"] * 3 + ["rtl"]
