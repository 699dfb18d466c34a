"""The architecture as a test: dependencies point one way, pure modules stay pure."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ["checklists", "audits", "reports", "web"]  # each may import only those before it
PURE = [
    "checklists/model.py",
    "checklists/scoring.py",
    "checklists/diff.py",
    "checklists/documents.py",
    "checklists/checks.py",
    "audits/demo/generator.py",
    "audits/demo/answers.py",
    "reports/analysis.py",
    "reports/analysis_cache.py",
    "reports/branches.py",
    "reports/bytes_cache.py",
    "reports/calibration.py",
    "bench/demo_frames.py",
    "reports/frame.py",
    "reports/mixed.py",
    "reports/model.py",
    "reports/people.py",
    "reports/trends.py",
    "bench/scaled_frames.py",
    "reports/variance.py",
    "reports/report_model.py",
    "reports/rows.py",
    "reports/describe.py",
    "reports/summary.py",
    "reports/figures.py",
    "reports/charts.py",
    "reports/pdf.py",
    "reports/visit.py",
    "reports/branch_report.py",
    "reports/branch_input.py",
    "reports/results.py",
    "reports/sections/__init__.py",
    "reports/sections/auditors.py",
    "reports/sections/checklist.py",
    "reports/sections/consistency.py",
    "reports/sections/recovery.py",
    "reports/sections/standing.py",
    "reports/sections/trend.py",
    "reports/sections/visits.py",
    "reports/headoffice_report.py",
    "audits/fieldwork/import_csv.py",
    "audits/boundary/csv_guard.py",
    "audits/fieldwork/import_plan.py",
    "audits/actions/rules.py",
    "reports/recovery.py",
    "audits/fieldwork/disclosure.py",
    "reports/disclosure.py",
]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("layer", LAYERS)
def test_layer_imports_only_layers_below_it(layer):
    later = set(LAYERS[LAYERS.index(layer) + 1 :])
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & later)
        for path in (ROOT / layer).rglob("*.py")
        if _imports(path) & later
    }
    assert offenders == {}


@pytest.mark.parametrize("module", PURE)
def test_pure_module_imports_neither_piccolo_nor_litestar(module):
    assert _imports(ROOT / module) & {"piccolo", "litestar"} == set()


def test_every_csv_the_app_writes_goes_through_the_formula_guard():
    writers = {
        str(path.relative_to(ROOT))
        for layer in LAYERS
        for path in (ROOT / layer).rglob("*.py")
        if "csv.writer(" in (text := path.read_text("utf-8")) or "csv.DictWriter(" in text
    }
    assert writers == {"audits/boundary/csv_guard.py"}
