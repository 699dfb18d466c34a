"""Keeping the translation catalogs in step with the sources: ``make translations``.

``python -m web.catalogs update`` extracts every ``_()``/``N_()`` string (``babel.cfg``) into
``web/locales/messages.pot``, merges it into the four catalogs (new strings empty, gone ones
dropped; English gets its msgids as msgstrs) and lists what still needs translating;
``compile`` writes the ``.mo`` files (``make setup`` runs it); ``check`` exits 1 when a
catalog is out of date or a string is untranslated (the test suite checks the same).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

from checklists.model import LANGUAGES
from web.i18n import DOMAIN, LOCALES_DIR

ROOT = LOCALES_DIR.parent.parent
TEMPLATE = LOCALES_DIR / f"{DOMAIN}.pot"
# Sorted and unwrapped, without source locations: catalogs from parallel branches merge cleanly.
EXTRACT = ["-F", "babel.cfg", "-k", "N_", "--no-location", "--sort-output", "--no-wrap"]


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def catalog_path(lang: str) -> Path:
    return LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=lang)


def extract(target: Path) -> Catalog:
    """The strings in the sources now, as a template catalog written to ``target``."""
    _pybabel("extract", *EXTRACT, "--project", "Evenly", "-o", str(target), str(ROOT))
    return read_catalog(target)


def update() -> dict[str, list[str]]:
    """Re-extract and merge; returns each language's untranslated msgids."""
    extract(TEMPLATE)
    for lang in LANGUAGES:
        if not catalog_path(lang).exists():
            _pybabel("init", "-i", str(TEMPLATE), "-d", str(LOCALES_DIR), "-l", lang)
    _pybabel("update", "-i", str(TEMPLATE), "-d", str(LOCALES_DIR), "--no-wrap",
             "--no-fuzzy-matching", "--ignore-obsolete")  # fmt: skip
    _fill_english()
    for path in (TEMPLATE, *(catalog_path(lang) for lang in LANGUAGES)):
        _drop_dates(path)
    return {lang: untranslated(read_catalog(catalog_path(lang), lang)) for lang in LANGUAGES}


def _fill_english() -> None:
    """English reads the msgids themselves; writing them out lets the check treat all four
    catalogs alike."""
    path = catalog_path("en")
    catalog = read_catalog(path, "en")
    for message in catalog:
        if message.id and not message.string:
            message.string = message.id
    with path.open("wb") as file:
        write_po(file, catalog, width=0, omit_header=False)


def _drop_dates(path: Path) -> None:
    """Creation and revision dates change on every run and would make every merge conflict."""
    lines = path.read_text("utf-8").splitlines(keepends=True)
    dated = ('"POT-Creation-Date:', '"PO-Revision-Date:')
    path.write_text("".join(line for line in lines if not line.startswith(dated)), "utf-8")


def untranslated(catalog: Catalog) -> list[str]:
    """Msgids with an empty (or fuzzy) translation; plural forms count only when all are set."""
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def msgids(catalog: Catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def stale(lang: str) -> tuple[set[str], set[str]]:
    """(in the sources but not the catalog, in the catalog but no longer in the sources)."""
    with tempfile.TemporaryDirectory() as tmp:
        current = msgids(extract(Path(tmp) / "current.pot"))
    known = msgids(read_catalog(catalog_path(lang), lang))
    return current - known, known - current


def compile_all() -> None:
    _pybabel("compile", "-d", str(LOCALES_DIR), "-D", DOMAIN, "--statistics")


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "compile":
        compile_all()
        return 0
    if command == "update":
        missing = update()
    else:
        missing = {lang: untranslated(read_catalog(catalog_path(lang), lang)) for lang in LANGUAGES}
        new, gone = stale("en")
        if new or gone:
            print(f"catalogs out of date: {len(new)} new, {len(gone)} gone; run make translations")
    for lang, ids in missing.items():
        for msgid in ids:
            print(f"{lang}: untranslated: {msgid!r}")
    if command == "update":
        return 0  # listing what to translate is the point; `check` is the gate
    return 1 if any(missing.values()) or new or gone else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
