"""What a kept analysis is kept under, and that it comes back whole (no database here)."""

import msgspec
import pytest

from reports.frame import frame_digest
from reports.kept_analyses import analysis_key, decode, encode
from reports.rows import frame_of

from .report_demo import Demo


@pytest.fixture(scope="module")
def demo() -> Demo:
    return Demo()


def test_a_kept_analysis_decodes_to_the_same_result(demo):
    assert decode(encode(demo.analysis)) == demo.analysis


def test_bytes_that_are_no_analysis_decode_to_none(demo):
    assert decode(b"not an analysis") is None
    assert decode(msgspec.msgpack.encode({"n_audits": "many"})) is None


def test_the_same_audits_give_the_same_key(demo):
    assert analysis_key(frame_of(demo.rows), standard=80) == analysis_key(
        frame_of(list(demo.rows)), standard=80.0
    )


def test_a_relabelled_branch_or_another_score_is_another_frame(demo):
    base = frame_digest(frame_of(demo.rows))
    moved = [msgspec.structs.replace(demo.rows[0], region="elsewhere"), *demo.rows[1:]]
    rescored = [msgspec.structs.replace(demo.rows[0], score=1.0), *demo.rows[1:]]
    assert len({base, frame_digest(frame_of(moved)), frame_digest(frame_of(rescored))}) == 3


def test_another_standard_is_another_key(demo):
    frame = frame_of(demo.rows)
    assert analysis_key(frame, standard=80) != analysis_key(frame, standard=70)
