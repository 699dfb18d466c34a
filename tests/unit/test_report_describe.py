"""Descriptive figures of the reports, on small hand-made rows."""

import datetime as dt
import math

import pytest

from reports import describe, figures


class Row:
    def __init__(self, score, shift="morning", day=0, sections=None, items=None):
        self.score = score
        self.shift = shift
        self.local = dt.datetime(2026, 3, 2) + dt.timedelta(days=day)  # a Monday
        self.sections = sections or {}
        self.items = items or {}


def test_groups_give_mean_and_sample_sd():
    (group,) = describe.groups([Row(70), Row(80), Row(90)], lambda r: r.shift)
    assert (group.n, group.mean, group.sd) == (3, 80, pytest.approx(10))


def test_a_group_of_one_has_no_sd():
    assert math.isnan(describe.groups([Row(70)], lambda r: r.shift)[0].sd)


def test_item_pass_rates_most_failed_first():
    rows = [Row(0, items={"a": True, "b": False}), Row(0, items={"a": True, "b": True})]
    assert describe.item_pass_rates(rows) == [("b", 2, 0.5), ("a", 2, 1.0)]


def test_individuals_chart_sigma_comes_from_the_moving_range():
    centre, sigma = describe.individuals_chart([70, 80, 70, 80])
    assert centre == 75 and sigma == pytest.approx(10 / 1.128)


def test_matrix_leaves_empty_cells_blank():
    rows = [Row(60, "evening", day=0), Row(90, "morning", day=1)]
    cells = describe.cell_means(
        rows, lambda r: r.shift, lambda r: describe.WEEKDAYS[r.local.weekday()]
    )
    z, text = describe.matrix(cells, ["evening", "morning"], ["Mon", "Tue"])
    assert z == [[60, None], [None, 90]] and text == [["60 (1)", ""], ["", "90 (1)"]]


def test_control_chart_marks_signals_red():
    fig = figures.control_chart(
        ["a", "b"], [70, 40], 60, [45, 45], [75, 75], [False, True], title="t", y_label="score"
    )
    assert fig["data"][-1]["marker"]["color"] == [figures.BLUE, figures.RED]
