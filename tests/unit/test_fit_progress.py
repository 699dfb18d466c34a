"""A fit tells how far its search has come (a job's bar follows it) without changing it."""

from __future__ import annotations

import numpy as np
import pytest

from reports import cholesky, mixed
from reports.analysis import FIT_SHARE, analyse
from reports.mixed import fit_crossed

from .test_analysis import frame, org, result  # noqa: F401 - the demo organisation's audits
from .test_mixed_cholesky import _crossed


@pytest.mark.parametrize("sparse", [False, True])
def test_a_fit_tells_a_growing_share_and_fits_the_same(monkeypatch, sparse):
    if sparse:
        monkeypatch.setattr(mixed, "SCHUR_MAX", 0)  # the sparse path, whatever the sizes
    told: list[float] = []
    followed = fit_crossed(*_crossed(), progress=told.append)
    alone = fit_crossed(*_crossed())
    assert len(told) > 10 and told == sorted(told) and told[0] > 0 and told[-1] < 1
    assert told[-1] > 0.5  # most of the bar by the time the search ends
    assert followed.variances == alone.variances and followed.deviance == alone.deviance
    for name in alone.effects:
        np.testing.assert_array_equal(followed.effects[name], alone.effects[name])


@pytest.mark.skipif(not cholesky.HAVE_CHOLMOD, reason="scikit-sparse missing")
def test_the_derivative_free_search_tells_its_share_too(monkeypatch):
    monkeypatch.setattr(mixed, "SCHUR_MAX", 0)
    told: list[float] = []
    fit_crossed(*_crossed(seed=5), progress=told.append)
    assert len(set(told)) == len(told) > 10  # one share an evaluation, each one larger


def test_an_analysis_tells_its_share_through_the_fit_and_its_steps(frame, result):  # noqa: F811
    told: list[float] = []
    steps: list[str] = []
    followed = analyse(frame, share=told.append, progress=steps.append)
    assert told == sorted(told) and told[-1] == pytest.approx(1.0)
    fitting = [share for share in told if share < FIT_SHARE]
    assert len(fitting) > 5 and len(told) == len(fitting) + len(steps)
    assert followed == result  # the same estimates as an analysis nobody follows
