"""Figures of the code's layout, printed for the README and closing notes.

    python bench/layout.py [ROOT]

Largest module, modules per folder, functions over 40 lines, route handlers over a screenful
(40 lines), string-key subscripts in the report code (``x["funnel"]["p998"]``), and
``# type: ignore`` comments. ROOT defaults to this checkout, so an older commit can be measured
from ``git worktree add``.
"""

from __future__ import annotations

import ast
import collections
import sys
from pathlib import Path

PACKAGES = ("audits", "checklists", "reports", "web")
LONG_FUNCTION = 40
SCREENFUL = 40
ROUTE_DECORATORS = {"get", "post", "put", "patch", "delete", "route"}


def modules(root: Path) -> list[Path]:
    found = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if "piccolo_migrations" not in path.parts:
                found.append(path)
    return found


def functions(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def is_handler(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name in ROUTE_DECORATORS:
            return True
    return False


def length(node: ast.AST) -> int:
    return node.end_lineno - node.lineno + 1  # type: ignore[attr-defined]


def string_subscripts(tree: ast.AST) -> int:
    return sum(
        1
        for node in ast.walk(tree)
        if isinstance(node, ast.Subscript)
        and isinstance(node.slice, ast.Constant)
        and isinstance(node.slice.value, str)
    )


def main(root: Path) -> None:
    paths = modules(root)
    sizes = {path: len(path.read_text().splitlines()) for path in paths}
    folders = collections.Counter(path.parent.relative_to(root).as_posix() for path in paths)
    long_functions, long_handlers, lookups, ignores = [], [], 0, 0
    for path in paths:
        text = path.read_text()
        tree = ast.parse(text)
        ignores += text.count("# type: ignore")
        if path.relative_to(root).parts[0] == "reports":
            lookups += string_subscripts(tree)
        for node in functions(tree):
            if length(node) > LONG_FUNCTION:
                long_functions.append((length(node), path.relative_to(root), node.name))
            if is_handler(node) and length(node) > SCREENFUL:
                long_handlers.append((length(node), path.relative_to(root), node.name))
    largest = max(sizes, key=sizes.__getitem__)
    audits = sum(n for f, n in sizes.items() if f.relative_to(root).parts[0] == "audits")
    print(f"modules: {len(paths)}, lines: {sum(sizes.values())} (audits/ {audits})")
    print(f"largest module: {largest.relative_to(root)} ({sizes[largest]} lines)")
    print("modules per folder (most first):")
    for folder, count in folders.most_common(8):
        print(f"  {folder:28} {count}")
    print(f"functions over {LONG_FUNCTION} lines: {len(long_functions)}")
    for size, path, name in sorted(long_functions, reverse=True)[:5]:
        print(f"  {size:4}  {path}:{name}")
    print(f"route handlers over {SCREENFUL} lines: {len(long_handlers)}")
    print(f"string-key subscripts in reports/: {lookups}")
    print(f"'# type: ignore' comments: {ignores}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
