"""The translation catalogs: complete in all four languages and in step with the sources.

After merging code with new strings: ``make translations``, translate what it lists, commit.
"""

import os
import re

import pytest

from audits.fieldwork.rules import FLAG_TEXT
from audits.tables import Audit, Channel
from checklists.model import LANGUAGES, Dimension, ItemType
from web import terms
from web.catalogs import catalog_path, msgids, read_catalog, stale, untranslated
from web.i18n import gettext_for, load_catalog, translate

PLACEHOLDER = re.compile(r"%\(\w+\)s")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_every_msgid_is_translated(lang):
    assert untranslated(read_catalog(catalog_path(lang), lang)) == []


def test_catalog_matches_the_strings_in_the_sources():
    new, gone = stale("en")
    assert (sorted(new), sorted(gone)) == ([], []), "run `make translations`"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_has_the_same_msgids_as_english(lang):
    assert msgids(read_catalog(catalog_path(lang), lang)) == msgids(
        read_catalog(catalog_path("en"), "en")
    )


@pytest.mark.parametrize("lang", ["el", "pl", "fa"])
def test_catalog_translations_keep_every_placeholder(lang):
    wrong = [
        (m.id, m.string)
        for m in read_catalog(catalog_path(lang), lang)
        if m.id and sorted(PLACEHOLDER.findall(m.id)) != sorted(PLACEHOLDER.findall(m.string))
    ]
    assert wrong == []


@pytest.mark.parametrize("lang", ["el", "pl", "fa"])
def test_catalog_translations_differ_from_english_in_the_interface(lang):
    """A translator who copied the English would pass the emptiness check."""
    _ = gettext_for(lang)
    for msgid in (
        "Log in",
        "Submit audit",
        "My audits",
        "Please check the marked answers: nothing was lost.",
    ):
        assert _(msgid) != msgid


def test_gettext_for_unknown_language_is_english():
    assert gettext_for("de")("Log in") == "Log in"


def test_translate_leaves_text_without_a_msgid_as_it_is():
    assert translate("el", "No branch with code 'X9'.") == "No branch with code 'X9'."


@pytest.mark.parametrize(
    ("listed", "values"),
    [
        (terms.AUDIT_STATUSES, [s.value for s in Audit.Status]),
        (terms.CHANNELS, [c.value.replace("_", " ") for c in Channel]),
        (terms.DIMENSIONS, [d.value.replace("_", " ") for d in Dimension]),
        (terms.ITEM_TYPES, [t.value.replace("_", "/") for t in ItemType]),
        (terms.FLAGS, list(FLAG_TEXT.values())),
    ],
)
def test_terms_list_every_value_the_templates_translate(listed, values):
    assert set(values) <= set(listed)


def test_terms_list_the_planner_weekdays():
    from audits.visits.planning import WEEKDAYS

    assert terms.WEEKDAYS == WEEKDAYS


def test_load_catalog_without_compiled_file_compiles_the_po_in_memory(tmp_path):
    po = tmp_path / "messages.po"
    po.write_bytes(catalog_path("pl").read_bytes())
    assert load_catalog(po, "pl").gettext("Submit audit") == "Złóż audyt"
    assert not po.with_suffix(".mo").exists()


def test_load_catalog_stale_compiled_file_is_not_used(tmp_path):
    po = tmp_path / "messages.po"
    po.with_suffix(".mo").write_bytes((catalog_path("el").with_suffix(".mo")).read_bytes())
    po.write_bytes(catalog_path("fa").read_bytes())
    os.utime(po.with_suffix(".mo"), (0, 0))  # the .mo is older than the .po
    assert load_catalog(po, "fa").gettext("Submit audit") == "ثبت ممیزی"


def test_load_catalog_missing_is_english(tmp_path):
    assert load_catalog(tmp_path / "messages.po", "el").gettext("Log in") == "Log in"
