"""Right-to-left mirrors by itself only if styles use logical properties everywhere."""

import re
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[2] / "web"
STYLES = sorted((WEB / "static").glob("*.css")) + sorted((WEB / "templates").rglob("*.html"))
PHYSICAL = re.compile(
    r"(?<![\w-])(margin|padding|border)-(left|right)\b|(?<![\w-])(left|right)\s*:"
    r"|text-align\s*:\s*(left|right)|float\s*:\s*(left|right)"
)


@pytest.mark.parametrize("path", STYLES, ids=lambda p: str(p.relative_to(WEB)))
def test_styles_use_logical_properties_only(path):
    found = [m.group(0) for m in PHYSICAL.finditer(path.read_text("utf-8"))]
    assert found == []
