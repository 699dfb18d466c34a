"""The visit report: one audit, every item with its answer, comment and photo, failed and
critical items marked. Pure: it takes the audit as its reader may see it."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from audits.fieldwork.schemas import AuditOut
from checklists.model import Checklist, Item, ItemType, text_in

from .reasons import reason_text
from .report_model import (
    Answer,
    AnswerList,
    Cell,
    Photo,
    Report,
    Section,
    Table,
    Translate,
    channel_name,
    fmt,
    localised_numbers,
)
from .report_model import no_translation as _identity


def answer_text(item: Item, answer: Any, lang: str, _: Translate = _identity) -> str:
    """An answer as a reader reads it: Yes/No, the scale label, the option label, the unit."""
    if answer is None:
        return _("not answered")
    if answer == "na":
        return _("N/A")
    if item.type is ItemType.yes_no:
        return _("Yes") if answer is True else _("No") if answer is False else str(answer)
    if item.type is ItemType.scale and item.scale:
        label = item.scale.labels.get(str(answer)) if item.scale.labels else None
        shown = plain_number(answer)
        return f"{shown} · {text_in(label, lang)[0]}" if label else shown
    if item.type is ItemType.choice:
        for option in item.options or []:
            if option.value == str(answer):
                return text_in(option.label, lang)[0]
    if item.type is ItemType.number:
        unit = text_in(item.target.unit, lang)[0] if item.target and item.target.unit else ""
        return f"{plain_number(answer)} {unit}".strip()
    if item.type is ItemType.photo:
        return _("Photo")
    return str(answer)


def plain_number(answer: Any) -> str:
    """9, 2.5: as few decimals as the answer has, in the reader's digits."""
    if isinstance(answer, bool) or not isinstance(answer, int | float):
        return str(answer)
    if float(answer).is_integer():
        return fmt(answer, 0)
    exponent = Decimal(str(answer)).as_tuple().exponent  # 2.5 → −1; 12345678.25 → −2
    return fmt(answer, min(-int(exponent), 6))


@localised_numbers
def visit_report(
    audit: AuditOut,
    doc: Checklist,
    *,
    branch_name: str,
    visited_local: str,
    lang: str,
    show_shopper: bool,
    photo_uri: Callable[[str], str] | None = None,
    shift_names: dict[str, str] | None = None,
    _: Translate = _identity,
) -> Report:
    """``show_shopper`` is false for branch managers: nothing then names the shopper.
    ``photo_uri`` (PDF only) turns an evidence id into a data URI; ``shift_names`` names the
    shift in the reader's language."""
    title = text_in(doc.title, lang)[0]
    facts = [
        (_("Branch"), f"{audit.branch} · {branch_name}"),
        (_("Checklist"), f"{title} ({_('version')} {fmt(audit.version, 0)})"),
        (_("Visited"), visited_local),
        (_("Shift"), (shift_names or {}).get(audit.shift or "", audit.shift) or "–"),
        (_("Channel"), channel_name(audit.channel, _)),
        (_("Score"), fmt(audit.score)),
    ]
    if audit.critical_fail:
        facts.append((_("Critical item failed"), _("score capped at the checklist's limit")))
    if show_shopper and audit.auditor:
        facts.append((_("Shopper"), audit.auditor))
    sections = [
        Section("scores", _("Scores"), [_section_table(audit, doc, lang, _)]),
        Section("answers", _("Every item"), _answer_lists(audit, doc, lang, photo_uri, _)),
    ]
    summary = _summary(audit, doc, lang, _)
    subtitle = f"{audit.branch} · {visited_local}"
    return Report("visit", _("Visit report"), subtitle, lang, facts, summary, sections)


def _section_table(audit: AuditOut, doc: Checklist, lang: str, _: Translate) -> Table:
    rows, csv, css = [], [], []
    for section in doc.sections:
        pct = audit.section_scores.get(section.key)  # stored as 0-100
        name = text_in(section.title, lang)[0]
        rows.append([Cell(name), Cell(fmt(pct), css="num")])
        csv.append([section.key, name, None if pct is None else round(pct, 2)])
        css.append("failed" if pct is not None and pct < 50 else "")
    rows.append([Cell(_("Total")), Cell(fmt(audit.score), css="num")])
    csv.append(["total", _("Total"), audit.score])
    css.append("critical" if audit.critical_fail else "")
    return Table("sections", _("Section scores"), [_("Section"), _("Score")], rows, csv, css)


def _answer_lists(audit, doc, lang, photo_uri, _: Translate) -> list:
    failed = {f.key: f for f in audit.failed}
    lists = []
    for section in doc.sections:
        answers = []
        for item in section.items:
            value = audit.answers.get(item.key)
            refs = [str(ref) for ref in audit.photos.get(item.key, [])]
            if item.type is ItemType.photo and isinstance(value, str) and value != "na":
                refs.insert(0, value)
            photos = [Photo(ref, photo_uri(ref) if photo_uri else "") for ref in refs]
            failure = failed.get(item.key)
            answers.append(
                Answer(
                    key=item.key,
                    text=text_in(item.text, lang)[0],
                    answer=answer_text(item, value, lang, _),
                    comment=audit.comments.get(item.key, ""),
                    photos=photos,
                    failed=_failure_text(failure, lang, _) if failure else None,
                    critical=item.critical,
                )
            )
        score = audit.section_scores.get(section.key)
        title = text_in(section.title, lang)[0]
        lists.append(AnswerList(section.key, title, score, answers, score_text=fmt(score)))
    return lists


def _failure_text(failure: Any, lang: str, _: Translate) -> str:
    return reason_text(failure.code, failure.params, lang, _) or failure.reason


def _summary(audit: AuditOut, doc: Checklist, lang: str, _: Translate) -> list[str]:
    lines = [_("Score %(score)s out of 100.") % {"score": fmt(audit.score)}]
    if audit.critical_fail:
        lines.append(_("A critical item failed, which caps the score."))
    if audit.failed:
        names = ", ".join(text_in(doc.item(f.key).text, lang)[0] for f in audit.failed[:3])
        more = len(audit.failed) - 3
        lines.append(
            _("%(n)s items failed: %(names)s") % {"n": fmt(len(audit.failed), 0), "names": names}
            + (_(" and %(more)s more") % {"more": fmt(more, 0)} if more > 0 else "")
            + "."
        )
    else:
        lines.append(_("No item failed."))
    return lines
