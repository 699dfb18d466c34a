"""The architecture as a test: dependencies point one way, pure modules stay pure."""

import ast
from collections import defaultdict
from dataclasses import dataclass
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
    "reports/glance.py",
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
    "audits/fieldwork/presence.py",
    "reports/disclosure.py",
    "audits/subscriptions/rules.py",
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


@pytest.mark.parametrize("layer", LAYERS[:-1])
def test_only_the_web_knows_litestar(layer):
    """Below the web, failures are domain errors (``reports.errors``, ``AuditNotFound`` ...)
    that ``web/errors.py`` maps to statuses; an HTTP exception there would tie the CLI to
    the web framework."""
    offenders = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / layer).rglob("*.py")
        if "litestar" in _imports(path)
    )
    assert offenders == []


def _is_command(module: str) -> bool:
    return module == "web.cli" or module.startswith("web.cli_") or module.endswith(".commands")


def test_commands_call_services_not_request_handlers():
    """``evenly ...`` builds what the pages build by calling the same services, never a
    controller (whose errors are HTTP ones)."""
    imports = _all_imports(RUNTIME)
    assert len({imp.importer for imp in imports if _is_command(imp.importer)}) > 3
    offenders = sorted(
        f"{imp.importer} -> {imp.target}"
        for imp in imports
        if _is_command(imp.importer) and imp.target.startswith("web.controllers")
    )
    assert offenders == []


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


# --- The rooms inside audits/ -----------------------------------------------------------------
# Each room is a package of audits/ about one part of the domain. A room may import only the rooms
# it builds on, so the dependencies point one way: visits are planned for the organisation's
# branches and shoppers, fieldwork files audits of (planned) visits, corrective actions follow
# from published audits, and the demo drives all of them. ``db`` and ``boundary`` are shared
# plumbing under every room; ``audits.tables`` (the one Piccolo app) imports no room.

SHARED = {"db", "boundary"}
ROOMS: dict[str | None, set[str]] = {
    None: set(),  # audits/tables.py, audits/piccolo_app.py: the Piccolo app, under every room
    "db": set(),
    "boundary": set(),
    "webhooks": SHARED,
    "org": SHARED,
    "visits": SHARED | {"org"},
    "fieldwork": SHARED | {"org", "visits", "webhooks"},
    "actions": SHARED | {"org", "fieldwork", "webhooks"},
    # a person's data: reads every table, writes through org's users; an erasure ends the
    # imports whose file names the person (fieldwork's)
    "privacy": SHARED | {"org", "fieldwork"},
    "demo": SHARED | {"org", "visits", "fieldwork", "actions", "webhooks"},
    "subscriptions": SHARED | {"org"},
    "jobs": SHARED,  # the queue only; the job functions (they build reports) are web's
}
"""Which rooms each room may import (besides itself and ``audits.tables``)."""
ROLE_NAMES = {"services", "selectors", "schemas", "rules", "commands"}
"""Module names every room may have, ambiguous on their own outside their room."""
RUNTIME = ["checklists", "audits", "reports", "web"]
DEMO_IMPORTERS = {"web.cli"}
"""The runtime modules that may import ``audits.demo``, and only inside a function."""


@dataclass(frozen=True)
class Import:
    importer: str  # a module, dotted: "audits.visits.services"
    target: str  # the module imported from (or imported): "audits.visits.planning"
    alias: str | None = None  # the name it is bound to, when a module is imported "as" another
    module: bool = False  # a module itself is bound (``from audits.visits import selectors``)
    lazy: bool = False  # inside a function


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules(packages: list[str]) -> dict[str, Path]:
    return {
        _module_name(path): path
        for package in packages
        for path in sorted((ROOT / package).rglob("*.py"))
        if "piccolo_migrations" not in path.parts
    }


def _imports_of(name: str, source: str, known: set[str]) -> list[Import]:
    """Every import in ``source`` (the module ``name``), relative ones resolved."""
    tree = ast.parse(source)
    lazy_nodes = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for inner in ast.walk(node)
    }
    is_package = (ROOT / name.replace(".", "/")).is_dir()
    package = name if is_package else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        lazy = id(node) in lazy_nodes
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append(Import(name, alias.name, alias.asname, True, lazy))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            for alias in node.names:
                if f"{base}.{alias.name}" in known:
                    target = f"{base}.{alias.name}"
                    found.append(Import(name, target, alias.asname, True, lazy))
                else:
                    found.append(Import(name, base, None, False, lazy))
    return found


def _all_imports(packages: list[str]) -> list[Import]:
    modules = _modules(packages)
    known = set(_modules(RUNTIME + ["bench"]))
    return [
        imp
        for name, path in modules.items()
        for imp in _imports_of(name, path.read_text("utf-8"), known)
    ]


def _room(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "audits" and parts[1] in ROOMS else None


def _in_audits(module: str) -> bool:
    return module == "audits" or module.startswith("audits.")


def room_violations(imports: list[Import]) -> list[str]:
    """Imports from one room of audits/ into a room it may not import."""
    return sorted(
        f"{imp.importer} -> {imp.target}"
        for imp in imports
        if _in_audits(imp.importer) and _in_audits(imp.target)
        if (to := _room(imp.target)) is not None
        if to != _room(imp.importer) and to not in ROOMS[_room(imp.importer)]
    )


def demo_violations(imports: list[Import]) -> list[str]:
    """Runtime code outside ``audits.demo`` that imports it (``web.cli`` may, in a function)."""
    return sorted(
        f"{imp.importer} -> {imp.target}"
        for imp in imports
        if _room(imp.target) == "demo" and _room(imp.importer) != "demo"
        if not (imp.importer in DEMO_IMPORTERS and imp.lazy)
    )


def alias_violations(imports: list[Import]) -> list[str]:
    """A room's module bound under a name that hides where it is from: outside its room, a module
    is imported under its own name, or as ``<room>_<module>`` (which a role name needs)."""
    found = []
    for imp in imports:
        room = _room(imp.target)
        if room is None or not imp.module or room == _room(imp.importer):
            continue
        name = imp.target.rsplit(".", 1)[1]
        wanted = {f"{room}_{name}"} | (set() if name in ROLE_NAMES else {None})
        if imp.alias not in wanted:
            found.append(f"{imp.importer}: {imp.target} as {imp.alias}")
    return sorted(found)


def cycles(imports: list[Import]) -> list[list[str]]:
    """The import cycles among modules of audits/ (strongly connected groups of two or more)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for imp in imports:
        if _in_audits(imp.importer) and _in_audits(imp.target) and imp.importer != imp.target:
            graph[imp.importer].add(imp.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's algorithm
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while (member := stack.pop()) != node:
                group.append(member)
            group.append(node)
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups)


def test_each_room_imports_only_the_rooms_it_builds_on():
    assert room_violations(_all_imports(["audits"])) == []


def test_only_the_demo_command_imports_the_demo():
    assert demo_violations(_all_imports(RUNTIME)) == []


def test_callers_name_a_rooms_modules_after_the_room():
    assert alias_violations(_all_imports(RUNTIME)) == []


def test_no_import_cycles_inside_audits():
    assert cycles(_all_imports(["audits"])) == []


def test_every_room_says_what_its_modules_are_for():
    for room in ROOMS:
        if room is not None:
            package = ROOT / "audits" / room
            doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text("utf-8")))
            modules = {p.stem for p in package.glob("*.py")} - {"__init__"}
            assert doc and all(f"``{m}``" in doc for m in modules), (room, doc)


# The checks above fail on violations: fed made-up imports, each finds what it must.


def _fake(source: str, name: str = "web.controllers.fake") -> list[Import]:
    return _imports_of(name, source, set(_modules(RUNTIME)))


@pytest.mark.parametrize(
    "importer, source",
    [
        ("audits.org.users", "from audits.visits.selectors import get_visit"),
        ("audits.fieldwork.review", "from audits.actions.services import open_for_published"),
        ("audits.visits.services", "from audits.fieldwork import selectors"),
        ("audits.actions.services", "def f():\n    from audits.visits import planning"),
        ("audits.db.write_lock", "from audits.org.users import CurrentUser"),
        ("audits.boundary.bounds", "import audits.org.fields"),
        ("audits.tables", "from audits.org.users import CurrentUser"),
        ("audits.org.people", "from audits.demo.generator import generate_demo"),
    ],
)
def test_room_rule_refuses_an_import_against_the_grain(importer, source):
    assert room_violations(_fake(source, importer)) != []


@pytest.mark.parametrize(
    "importer, source",
    [
        ("audits.actions.services", "from audits.fieldwork import review"),
        ("audits.fieldwork.filing", "from audits.fieldwork import selectors as audit_reads"),
        ("audits.demo.load", "from audits.actions.services import open_for_published"),
        ("audits.visits.selectors", "from audits.tables import Visit"),
    ],
)
def test_room_rule_lets_an_allowed_import_through(importer, source):
    assert room_violations(_fake(source, importer)) == []


@pytest.mark.parametrize(
    "importer, source, refused",
    [
        ("reports.rows", "from audits.demo.generator import DemoOrganisation", True),
        ("web.app", "def f():\n    from audits.demo.load import load_demo", True),
        ("web.cli", "from audits.demo.load import load_demo", True),  # at import time
        ("web.cli", "def demo():\n    from audits.demo.load import load_demo", False),
    ],
)
def test_demo_rule(importer, source, refused):
    assert bool(demo_violations(_fake(source, importer))) is refused


@pytest.mark.parametrize(
    "source, refused",
    [
        ("from audits.actions import selectors as action_reads", True),
        ("from audits.visits import services as visits", True),
        ("from audits.fieldwork import selectors", True),
        ("from audits.org import organisation as org", True),
        ("from audits.visits import selectors as visits_selectors", False),
        ("from audits.fieldwork import review", False),
        ("from audits.visits.selectors import get_visit", False),
    ],
)
def test_alias_rule(source, refused):
    assert bool(alias_violations(_fake(source))) is refused


def test_cycle_check_finds_a_cycle_inside_a_room():
    fake = [
        Import("audits.visits.planning", "audits.visits.plan_design"),
        Import("audits.visits.plan_design", "audits.visits.planning"),
        Import("audits.visits.services", "audits.visits.planning"),
    ]
    assert cycles(fake) == [["audits.visits.plan_design", "audits.visits.planning"]]
