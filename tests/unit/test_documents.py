"""Checklist files: loading, checking, dumping, and errors that name the line."""

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checklists.documents import (
    ChecklistFileError,
    Problem,
    check_checklist,
    dump_checklist,
    format_problem,
    load_checklist,
)
from checklists.model import (
    Checklist,
    ChoiceOption,
    Condition,
    CriticalPolicy,
    Dimension,
    Item,
    ItemType,
    NumberTarget,
    ScaleSpec,
    Section,
)


def _i18n(en: str) -> dict[str, str]:
    return {"en": en, "el": f"{en} (ελληνικά)", "pl": f"{en} (po polsku)", "fa": f"{en} (فارسی)"}


def _rich() -> Checklist:
    """Every item type, every spec, conditions, four languages, multiline text."""
    welcome = Section(
        key="welcome",
        title=_i18n("Welcome"),
        weight=2.0,
        items=[
            Item(
                key="greeted_promptly",
                type=ItemType.yes_no,
                text={"en": "Were you greeted within 30 seconds?", "el": "Σας χαιρέτησαν;"},
                dimension=Dimension.respect,
                critical=True,
                help={"en": "Count from the door.\nNot from the queue.", "fa": "از در بشمارید"},
            ),
            Item(
                key="wait_minutes",
                type=ItemType.number,
                text=_i18n("How long did you wait?"),
                target=NumberTarget(full_at=3, zero_at=10, unit={"en": "min", "fa": "دقیقه"}),
                na_allowed=True,
            ),
            Item(
                key="helpfulness",
                type=ItemType.scale,
                text=_i18n("How helpful was the staff?"),
                scale=ScaleSpec(min=0, max=10, labels={"0": {"en": "Poor"}, "10": _i18n("Best")}),
                pass_mark=0.7,
                weight=1.5,
            ),
        ],
    )
    outcome = Section(
        key="outcome",
        title={"en": "Outcome", "fa": "نتیجه"},
        items=[
            Item(
                key="resolution",
                type=ItemType.choice,
                text=_i18n("Was your problem solved?"),
                options=[
                    ChoiceOption(value="solved", label=_i18n("Solved"), points=2),
                    ChoiceOption(value="partly", label={"en": "Partly"}, points=1),
                    ChoiceOption(value="no", label={"en": "No"}),
                ],
                action="critical",
            ),
            Item(
                key="apology",
                type=ItemType.yes_no,
                text={"en": "Did they apologise?"},
                condition=Condition(item="resolution", in_=["partly", "no"]),
                required=False,
            ),
            Item(
                key="comment",
                type=ItemType.text,
                text=_i18n("Anything else?"),
                condition=Condition(item="helpfulness", in_=[0, 1, 2]),
            ),
            Item(key="receipt", type=ItemType.photo, text={"en": "Photo of the receipt"}),
        ],
    )
    return Checklist(
        slug="service-fundamentals",
        title=_i18n("Service fundamentals"),
        description={"en": "First line.\n\n  Indented: with a colon # and hash\n", "el": "Ναι"},
        channel="in_person",
        critical_policy=CriticalPolicy(cap=50),
        sections=[welcome, outcome],
    )


def test_dump_checklist_rich_document_round_trips():
    doc = _rich()
    assert check_checklist(doc) == []
    assert load_checklist(dump_checklist(doc)) == doc


def test_dump_checklist_dumped_twice_same_text():
    text = dump_checklist(_rich())
    assert dump_checklist(load_checklist(text)) == text


def test_dump_checklist_unicode_written_as_is():
    text = dump_checklist(_rich())
    assert "Σας χαιρέτησαν;" in text
    assert "فارسی" in text
    assert "\\u" not in text


def test_dump_checklist_fields_first_then_nested_lists():
    text = dump_checklist(_rich())
    top = [line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()]
    assert top == ["slug", "title", "description", "channel", "critical_policy", "sections"]
    assert text.index("  weight: 2.0") < text.index("  items:")


def test_dump_checklist_short_mappings_flow_and_multiline_literal():
    text = dump_checklist(_rich())
    assert "critical_policy: {cap: 50.0}" in text
    assert "  - {value: 'no', label: {en: 'No'}}" in text  # YAML 1.1 would read false
    assert "label: {en: Partly}" in text
    assert "      en: |-\n        Count from the door.\n        Not from the queue.\n" in text


def test_dump_checklist_leaves_out_defaults():
    text = dump_checklist(_rich())
    assert "required: true" not in text
    assert "na_allowed: false" not in text
    assert "required: false" in text


def test_dump_checklist_default_given_in_file_left_out():
    text = _HEAD.replace("  items:", "  weight: 1.0\n  items:") + (
        "  - {key: a, type: yes_no, text: {en: A}, weight: 1, pass_mark: 0.5, help: {}}\n"
    )
    doc = load_checklist("critical_policy: {cap: 0}\n" + text)
    plain = "  - {key: a, type: yes_no, text: {en: A}}\n"
    assert dump_checklist(doc) == dump_checklist(load_checklist(_HEAD + plain))
    assert "weight" not in dump_checklist(doc)
    assert "critical_policy" not in dump_checklist(doc)


_TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1).filter(str.strip)


@pytest.mark.slow  # 100 YAML round trips: ~7 s
@settings(max_examples=100, deadline=None)
@given(title=_TEXT, help_text=st.text(st.characters(exclude_categories=("Cs",))), value=_TEXT)
def test_dump_checklist_any_text_round_trips(title, help_text, value):
    item = Item(
        key="pick",
        type=ItemType.choice,
        text={"en": title, "fa": help_text},
        help={"en": help_text} if help_text else {},
        options=[
            ChoiceOption(value=value, label={"en": title}, points=1),
            ChoiceOption(value=value + "x", label={"en": "x" + help_text}),
        ],
    )
    later = Item(
        key="later",
        type=ItemType.yes_no,
        text={"en": "Later"},
        condition=Condition(item="pick", in_=[value]),
    )
    doc = Checklist(
        slug="s", title={"en": title}, sections=[Section(key=value, title={"en": title}, items=[])]
    )
    doc.sections[0].items.extend([item, later])
    text = dump_checklist(doc)
    assert load_checklist(text) == doc
    assert dump_checklist(load_checklist(text)) == text


def test_load_checklist_example_from_the_brief_loads():
    doc = load_checklist(
        """\
slug: service-fundamentals
title: {en: Service fundamentals, el: Βασικά, pl: Podstawy, fa: اصول}
channel: in_person
critical_policy: {cap: 50}
sections:
- key: welcome
  title: {en: Welcome}
  weight: 1.0
  items:
  - key: problem_raised
    type: yes_no
    dimension: respect
    critical: true
    text: {en: Did you raise a problem?}
  - key: helpfulness
    type: scale
    text: {en: Helpful?}
    scale: {min: 1, max: 5, labels: {1: {en: Poor}, "5": {en: Excellent}}}
  - key: apology
    type: yes_no
    text: {en: Apology?}
    condition: {item: problem_raised, in: [true]}
"""
    )
    assert doc.item("helpfulness").scale == ScaleSpec(
        labels={"1": {"en": "Poor"}, "5": {"en": "Excellent"}}
    )
    assert doc.item("apology").condition == Condition(item="problem_raised", in_=[True])
    assert doc.critical_policy.cap == 50


# Errors -------------------------------------------------------------------------------------

_HEAD = """\
slug: demo
title: {en: Demo}
sections:
- key: main
  title: {en: Main}
  items:
"""
"""Six lines; the first item of a case starts on line 7."""

_ASK = "  - {key: asked, type: yes_no, text: {en: Asked?}}\n"


def _error(text: str) -> ChecklistFileError:
    with pytest.raises(ChecklistFileError) as caught:
        load_checklist(text)
    return caught.value


def test_load_checklist_wrong_type_names_line_and_item():
    error = _error(
        _HEAD
        + _ASK
        + "  - key: greeted_promptly\n    type: yes_no\n    text: {en: G}\n    weight: heavy\n"
    )
    assert str(error) == (
        'line 11, sections[0].items[1] (greeted_promptly).weight: expected a number, got "heavy"'
    )
    assert (error.path, error.line, error.key) == (
        "sections[0].items[1].weight",
        11,
        "greeted_promptly",
    )
    assert error.problems == [Problem(error.path, 11, 'expected a number, got "heavy"')]


_ITEM_CASES = [
    # Types, as msgspec finds them.
    pytest.param(
        '  - {key: a, type: yes_no, text: {en: A}, critical: "yes"}\n',
        "sections[0].items[0].critical",
        7,
        'expected true or false, got "yes"',
        id="bool",
    ),
    pytest.param(
        "  - key: a\n    type: yesno\n    text: {en: A}\n",
        "sections[0].items[0].type",
        8,
        'expected one of yes_no, scale, choice, number, text, photo, got "yesno"',
        id="enum",
    ),
    pytest.param(
        _ASK + "  - key: r\n    type: scale\n    text: {en: R}\n    scale:\n      min: 1.5\n",
        "sections[0].items[1].scale.min",
        12,
        "expected a whole number, got 1.5",
        id="int",
    ),
    pytest.param(
        "  - key: a\n    type: yes_no\n    text:\n      en: A\n      el: 3\n",
        "sections[0].items[0].text.el",
        11,
        "expected text, got 3",
        id="text-value",
    ),
    pytest.param(
        "  - key: r\n    type: scale\n    text: {en: R}\n    scale:\n      labels:\n"
        "        1: {en: Poor}\n        5: {en: 5}\n",
        "sections[0].items[0].scale.labels.5.en",
        13,
        "expected text, got 5",
        id="label-text",
    ),
    pytest.param(
        _ASK + "  - {key: b, type: yes_no, text: {en: B}, condition: {item: asked, in: [null]}}\n",
        "sections[0].items[1].condition.in[0]",
        8,
        "expected true or false, a whole number, a number or text, got nothing",
        id="union",
    ),
    # Missing and unknown fields.
    pytest.param(
        _ASK + "  - key: b\n    type: yes_no\n",
        "sections[0].items[1].text",
        8,
        "required field is missing",
        id="missing",
    ),
    pytest.param(
        "  - key: w\n    type: number\n    text: {en: W}\n    target:\n"
        "      full_at: 3\n      unit: {en: min}\n",
        "sections[0].items[0].target.zero_at",
        11,
        "required field is missing",
        id="missing-nested",
    ),
    pytest.param(
        "  - key: a\n    type: yes_no\n    text: {en: A}\n    wieght: 2\n",
        "sections[0].items[0].wieght",
        10,
        "unknown field; expected one of key, type, text, dimension, help, weight, critical, "
        "na_allowed, required, pass_mark, condition, action, scale, options, target, on_fail",
        id="unknown",
    ),
    pytest.param(
        "  - {key: w, type: number, text: {en: W}, target: {full_at: 3, zero_at: 9, units: x}}\n",
        "sections[0].items[0].target.units",
        7,
        "unknown field; expected one of full_at, zero_at, unit",
        id="unknown-flow",
    ),
    # Semantic checks.
    pytest.param(
        '  - {key: a, type: yes_no, text: {en: " ", el: A}}\n',
        "sections[0].items[0].text.en",
        7,
        "English text is required",
        id="english",
    ),
    pytest.param(
        "  - key: a\n    type: yes_no\n    text:\n      en: A\n      de: B\n",
        "sections[0].items[0].text.de",
        11,
        "unknown language `de` (use en, el, pl, fa)",
        id="language",
    ),
    pytest.param(
        "  - {key: Asked-1, type: yes_no, text: {en: A}}\n",
        "sections[0].items[0].key",
        7,
        'use lowercase letters, digits and underscores, got "Asked-1"',
        id="item-key",
    ),
    pytest.param(
        _ASK + "  - {key: asked, type: yes_no, text: {en: Again}}\n",
        "sections[0].items[1].key",
        8,
        "item key `asked` is already used by sections[0].items[0]",
        id="item-key-twice",
    ),
    pytest.param(
        "  - key: a\n    type: yes_no\n    text: {en: A}\n    weight: 0\n",
        "sections[0].items[0].weight",
        10,
        "must be a number above 0, got 0.0",
        id="weight",
    ),
    pytest.param(
        "  - {key: a, type: yes_no, text: {en: A}, pass_mark: 1.5}\n",
        "sections[0].items[0].pass_mark",
        7,
        "must be from 0 to 1, got 1.5",
        id="pass-mark",
    ),
    pytest.param(
        _ASK + "  - key: r\n    type: scale\n    text: {en: R}\n",
        "sections[0].items[1].scale",
        8,
        "a scale item needs a scale, e.g. {min: 1, max: 5}",
        id="scale-missing",
    ),
    pytest.param(
        "  - key: r\n    type: scale\n    text: {en: R}\n    scale: {min: 5, max: 5}\n",
        "sections[0].items[0].scale.max",
        10,
        "max must be above min (5), got 5",
        id="scale-range",
    ),
    pytest.param(
        "  - key: r\n    type: scale\n    text: {en: R}\n    scale:\n      labels:\n"
        "        5: {en: Top}\n        7: {en: Beyond}\n",
        "sections[0].items[0].scale.labels.7",
        13,
        "not a point from 1 to 5",
        id="scale-label",
    ),
    pytest.param(
        "  - key: r\n    type: scale\n    text: {en: R}\n    scale: {labels: {top: {en: Top}}}\n",
        "sections[0].items[0].scale.labels.top",
        10,
        "not a point from 1 to 5",
        id="scale-word",
    ),
    pytest.param(
        "  - key: c\n    type: choice\n    text: {en: C}\n    options:\n"
        "    - {value: a, label: {en: A}, points: 1}\n",
        "sections[0].items[0].options",
        10,
        "a choice item needs at least two options",
        id="options-one",
    ),
    pytest.param(
        "  - key: c\n    type: choice\n    text: {en: C}\n    options:\n"
        "    - {value: a, label: {en: A}, points: 1}\n    - {value: a, label: {en: Again}}\n",
        "sections[0].items[0].options[1].value",
        12,
        "option value `a` is used twice",
        id="options-twice",
    ),
    pytest.param(
        "  - key: c\n    type: choice\n    text: {en: C}\n    options:\n"
        "    - {value: a, label: {en: A}}\n    - {value: b, label: {en: B}, points: 0}\n",
        "sections[0].items[0].options",
        10,
        "at least one option must be worth points above 0",
        id="options-points",
    ),
    pytest.param(
        _ASK + "  - {key: w, type: number, text: {en: W}}\n",
        "sections[0].items[1].target",
        8,
        "a number item needs a target, e.g. {full_at: 3, zero_at: 10}",
        id="target-missing",
    ),
    pytest.param(
        "  - key: w\n    type: number\n    text: {en: W}\n    target:\n"
        "      full_at: 3\n      zero_at: 3\n",
        "sections[0].items[0].target.zero_at",
        12,
        "full_at and zero_at must differ",
        id="target-flat",
    ),
    pytest.param(
        "  - key: t\n    type: text\n    text: {en: T}\n    options:\n"
        "    - {value: a, label: {en: A}, points: 1}\n",
        "sections[0].items[0].options",
        10,
        "a text item takes no options",
        id="text-options",
    ),
    pytest.param(
        "  - key: p\n    type: photo\n    text: {en: P}\n    critical: true\n",
        "sections[0].items[0].critical",
        10,
        "a photo item is not scored, so not critical",
        id="photo-critical",
    ),
    pytest.param(
        "  - key: y\n    type: yes_no\n    text: {en: Y}\n    scale: {max: 3}\n",
        "sections[0].items[0].scale",
        10,
        "a yes_no item takes no scale",
        id="wrong-spec",
    ),
    # Conditions look back.
    pytest.param(
        "  - {key: b, type: yes_no, text: {en: B}, condition: {item: asked, in: [true]}}\n" + _ASK,
        "sections[0].items[0].condition.item",
        7,
        "item `asked` does not come before this item; a condition needs an earlier one",
        id="condition-later",
    ),
    pytest.param(
        "  - {key: b, type: yes_no, text: {en: B}, condition: {item: b, in: [true]}}\n",
        "sections[0].items[0].condition.item",
        7,
        "item `b` does not come before this item; a condition needs an earlier one",
        id="condition-self",
    ),
    pytest.param(
        "  - key: b\n    type: yes_no\n    text: {en: B}\n    condition:\n"
        "      item: nobody\n      in: [true]\n",
        "sections[0].items[0].condition.item",
        11,
        "item `nobody` is unknown; a condition needs an earlier one",
        id="condition-unknown",
    ),
    pytest.param(
        _ASK + "  - key: b\n    type: yes_no\n    text: {en: B}\n    condition:\n"
        "      item: asked\n      in:\n      - true\n      - yes\n",
        "sections[0].items[1].condition.in[1]",
        15,
        'expected true or false, got "yes"',
        id="condition-yes-no",
    ),
    pytest.param(
        "  - key: c\n    type: choice\n    text: {en: C}\n    options:\n"
        "    - {value: a, label: {en: A}, points: 1}\n    - {value: b, label: {en: B}}\n"
        "  - {key: d, type: text, text: {en: D}, condition: {item: c, in: [a, z]}}\n",
        "sections[0].items[1].condition.in[1]",
        13,
        'expected one of a, b, got "z"',
        id="condition-choice",
    ),
    pytest.param(
        "  - {key: r, type: scale, text: {en: R}, scale: {min: 1, max: 5}}\n"
        "  - {key: d, type: text, text: {en: D}, condition: {item: r, in: [1, 6]}}\n",
        "sections[0].items[1].condition.in[1]",
        8,
        "expected a whole number from 1 to 5, got 6",
        id="condition-scale",
    ),
    pytest.param(
        "  - {key: t, type: text, text: {en: T}}\n"
        "  - {key: d, type: text, text: {en: D}, condition: {item: t, in: [x]}}\n",
        "sections[0].items[1].condition.item",
        8,
        "a condition cannot depend on a text item",
        id="condition-text",
    ),
    pytest.param(
        _ASK + "  - {key: d, type: text, text: {en: D}, condition: {item: asked, in: []}}\n",
        "sections[0].items[1].condition.in",
        8,
        "list at least one answer",
        id="condition-empty",
    ),
]


@pytest.mark.parametrize(("items", "path", "line", "message"), _ITEM_CASES)
def test_load_checklist_bad_item_names_path_and_line(items, path, line, message):
    error = _error(_HEAD + items)
    assert (error.path, error.line) == (path, line)
    assert error.problems[0] == Problem(path, line, message)
    assert str(error).startswith(f"line {line}, ")
    assert str(error).endswith(f": {message}")


_FILE_CASES = [
    pytest.param("", "", 1, "expected a mapping, got nothing", id="empty"),
    pytest.param("- slug\n- title\n", "", 1, "expected a mapping, got a list", id="list"),
    pytest.param(
        "slug: demo\ntitle: {en: Demo}\nsections:\n  main: {}\n",
        "sections",
        3,
        "expected a list, got a mapping",
        id="sections-mapping",
    ),
    pytest.param(
        "slug: demo\ntitle: {en: Demo, true: x}\nsections: []\n",
        "title",
        2,
        "a key must be text, got true",
        id="key-type",
    ),
    pytest.param(
        "slug: demo\ntitle: {en: Demo}\nchannel: 3\nsections: []\n",
        "channel",
        3,
        "expected text or nothing, got 3",
        id="optional",
    ),
    pytest.param(
        "# Demo\n\ntitle: {en: Demo}\nsections: []\n",
        "slug",
        3,
        "required field is missing",
        id="missing-top",
    ),
    pytest.param(
        "slug: demo\ntitle: {en: Demo}\ndescripton: {en: D}\nsections: []\n",
        "descripton",
        3,
        "unknown field; expected one of slug, title, sections, description, channel, "
        "critical_policy",
        id="unknown-top",
    ),
    pytest.param(
        "slug: demo\ntitle: {en: Demo}\nsections:\n- key: main\n  title: {en: Main}\n"
        "  wieght: 2\n  items: []\n",
        "sections[0].wieght",
        6,
        "unknown field; expected one of key, title, items, weight",
        id="unknown-section",
    ),
    pytest.param(
        "slug: demo\ntitle: {el: Δ}\nsections:\n- key: main\n  title: {en: Main}\n  items:\n"
        + _ASK,
        "title.en",
        2,
        "English text is required",
        id="title-english",
    ),
    pytest.param(
        "slug: demo\ntitle: {en: Demo}\ncritical_policy:\n  cap: 150\nsections:\n"
        "- key: main\n  title: {en: Main}\n  items:\n" + _ASK,
        "critical_policy.cap",
        4,
        "must be from 0 to 100, got 150.0",
        id="cap",
    ),
    pytest.param(
        "slug: demo\ntitle: {en: Demo}\nsections: []\n",
        "sections",
        3,
        "a checklist needs at least one section",
        id="no-sections",
    ),
    pytest.param(
        "slug: demo\ntitle: {en: Demo}\nsections:\n- key: main\n  title: {en: Main}\n"
        "  weight: -1\n  items:\n" + _ASK,
        "sections[0].weight",
        6,
        "must be a number above 0, got -1.0",
        id="section-weight",
    ),
    pytest.param(
        "slug: demo\ntitle: {en: Demo}\nsections:\n- key: main\n  title: {en: Main}\n  items:\n"
        + _ASK
        + "- key: main\n  title: {en: More}\n  items:\n  - {key: b, type: photo, "
        "text: {en: B}}\n",
        "sections[1].key",
        8,
        "section key `main` is already used by sections[0]",
        id="section-key-twice",
    ),
    pytest.param(
        "slug: demo\ntitle: {en: Demo}\nsections:\n- key: one\n  title: {en: One}\n  items:\n"
        + _ASK
        + "- key: two\n  title: {en: Two}\n  items:\n"
        + _ASK,
        "sections[1].items[0].key",
        11,
        "item key `asked` is already used by sections[0].items[0]",
        id="item-key-across-sections",
    ),
]


@pytest.mark.parametrize(("text", "path", "line", "message"), _FILE_CASES)
def test_load_checklist_bad_file_names_path_and_line(text, path, line, message):
    error = _error(text)
    assert error.problems[0] == Problem(path, line, message)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        pytest.param(
            "slug: demo\ntitle: {en: Demo\nsections: []\n", 3, "expected ',' or '}'", id="flow"
        ),
        pytest.param(
            "slug: demo\n  title: x\n", 2, "mapping values are not allowed here", id="indent"
        ),
        pytest.param(
            "slug: demo\ntitle: {en: Demo}\nslug: other\n",
            3,
            'found duplicate key "slug"',
            id="duplicate",
        ),
        pytest.param("slug: demo\n\ttitle: x\n", 2, "found character '\\t'", id="tab"),
        pytest.param("slug: a\n---\nslug: b\n", 2, "but found another document", id="two"),
    ],
)
def test_load_checklist_yaml_syntax_error_names_line(text, line, message):
    error = _error(text)
    assert (error.path, error.line, error.key) == ("", line, None)
    assert str(error).startswith(f"line {line}: YAML syntax error: ")
    assert message in str(error)


def test_load_checklist_many_problems_keeps_all_in_order():
    error = _error(
        "slug: Demo Day\ntitle: {en: Demo}\nsections:\n- key: main\n  title: {fr: Principal}\n"
        "  items:\n  - {key: w, type: number, text: {en: W}}\n  - key: c\n    type: choice\n"
        "    text: {en: C}\n    options: [{value: a, label: {en: A}, points: 1}]\n"
    )
    assert [(p.path, p.line) for p in error.problems] == [
        ("slug", 1),
        ("sections[0].title.fr", 5),
        ("sections[0].title.en", 5),
        ("sections[0].items[0].target", 7),
        ("sections[0].items[1].options", 11),
    ]
    first = 'line 1, slug: use lowercase letters, digits and hyphens, got "Demo Day"'
    assert str(error) == error.messages[0] == first
    assert error.messages[3] == (
        "line 7, sections[0].items[0] (w).target: "
        "a number item needs a target, e.g. {full_at: 3, zero_at: 10}"
    )
    assert error.messages[1].startswith("line 5, sections[0] (main).title.fr: ")


def test_load_checklist_error_key_names_section_or_item():
    assert _error(_HEAD + "  - {key: a, type: yes_no, text: {en: A}, weight: 0}\n").key == "a"
    assert _error(_HEAD.replace("{en: Main}", "{el: Main}") + _ASK).key == "main"
    assert _error("slug: demo\ntitle: {}\nsections: []\n").key is None


def test_check_checklist_valid_document_no_problems():
    assert check_checklist(_rich()) == []


def test_check_checklist_struct_without_file_problems_have_no_line():
    doc = _rich()
    doc.sections[1].items[1].condition = Condition(item="comment", in_=["x"])
    doc.sections[0].items[0].weight = 0
    problems = check_checklist(doc)
    assert problems == [
        Problem("sections[0].items[0].weight", None, "must be a number above 0, got 0"),
        Problem(
            "sections[1].items[1].condition.item",
            None,
            "item `comment` does not come before this item; a condition needs an earlier one",
        ),
    ]
    data = msgspec.to_builtins(doc)
    assert format_problem(problems[1], data) == (
        "sections[1].items[1] (apology).condition.item: "
        "item `comment` does not come before this item; a condition needs an earlier one"
    )
