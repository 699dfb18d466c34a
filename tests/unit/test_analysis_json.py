"""The analysis is typed (msgspec Structs) and its JSON is what ``evenly analyse --json`` has
always printed: the same keys, in the same order, with the same kinds of values. The golden
shape was taken from the untyped (dict) analysis of the same demo before the change."""

import asyncio
import json
from pathlib import Path

import msgspec
import pytest

from reports.analysis_cache import AnalysisCache
from reports.branch_input import BranchInput
from reports.results import AnalysisResult, BranchEstimate, Interval

from .report_demo import Demo

GOLDEN = Path(__file__).parents[1] / "data" / "golden" / "analysis_json_shape.json"


def shape(value: object) -> object:
    """Keys in order and the kinds of values; a list as the distinct shapes of its items."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        kinds: list[object] = []
        for item in value:
            if shape(item) not in kinds:
                kinds.append(shape(item))
        return {"[]": sorted(kinds, key=json.dumps)}
    return "null" if value is None else type(value).__name__


@pytest.fixture(scope="module")
def result() -> AnalysisResult:
    return Demo().analysis


def test_the_json_has_the_shape_the_dict_analysis_had(result):
    golden = json.loads(GOLDEN.read_text("utf-8"))
    ours = shape(msgspec.to_builtins(result))
    # dumped, so that the order of keys counts too
    assert json.dumps(ours, indent=1) == json.dumps(golden, indent=1)


def test_both_encoders_write_the_same_json(result):
    as_printed = json.dumps(msgspec.to_builtins(result), ensure_ascii=False, allow_nan=False)
    assert json.loads(as_printed) == json.loads(msgspec.json.encode(result))


def test_the_json_decodes_back_to_the_same_result(result):
    again = msgspec.json.decode(msgspec.json.encode(result), type=AnalysisResult)
    assert again == result and isinstance(again.branches[0].interval, Interval)


def test_an_interval_is_a_pair_in_json_and_read_by_name(result):
    b: BranchEstimate = result.branches[0]
    assert msgspec.to_builtins(b.interval) == [b.interval.low, b.interval.high]
    assert b.interval.low <= b.shrunken <= b.interval.high
    assert msgspec.to_builtins(result.period) == {
        "from": result.period.first,
        "to": result.period.last,
    }


def test_results_are_frozen(result):
    with pytest.raises(AttributeError):
        result.branches[0].rank = 1  # type: ignore[misc]


def test_the_analysis_cache_keeps_a_typed_result(result):
    cache, made = AnalysisCache(), []

    async def compute() -> AnalysisResult:
        made.append(1)
        return result

    first = asyncio.run(cache.get("2026", (10, "t"), compute))
    again = asyncio.run(cache.get("2026", (10, "t"), compute))
    assert first is again is result and made == [1] and again.branches[0].funnel.p998


def test_branch_input_takes_keywords_only():
    with pytest.raises(TypeError):
        BranchInput("B1", "Kifisia", [], [], period="2026")  # type: ignore[misc]
    data = BranchInput(code="B1", name="Kifisia", rows=[], org_rows=[], period="2026")
    assert data.findings.estimate is None and data.findings.trend is None
