"""Filing an audit: validate, score, flag and store it, exactly once per client-made id.

A retried or doubled submission finds the audit its id already made and returns it; an audit
head office returned to its shopper is updated in place, each change recorded. The audit is
scored here, once per write, and what scoring computed is stored with it (``Audit.results``):
nothing that reads an audit scores it again.
"""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec
from piccolo.query.base import Query

from audits.db.write_lock import write_together, write_transaction
from audits.fieldwork import events, selectors
from audits.fieldwork.presence import located_fixes, stored_presence
from audits.fieldwork.rules import (
    FlagFacts,
    client_id_problem,
    local_time,
    review_flags,
    shift_for,
    visit_time_problem,
)
from audits.fieldwork.schemas import (
    AuditConflict,
    AuditCreate,
    AuditForbidden,
    AuditNotFound,
    AuditOut,
    AuditRejected,
    FieldError,
    PresenceOut,
)
from audits.org.users import CurrentUser
from audits.tables import (
    Audit,
    AuditChange,
    AuditDraft,
    Channel,
    Evidence,
    OrgSettings,
    Role,
    Visit,
)
from checklists import queries as checklist_queries
from checklists.model import Ask, Checklist, ItemType
from checklists.scoring import AuditScore, score_audit, stored_results, validate_answers

MAX_COMMENT = 2000
FILING_ROLES = frozenset({Role.shopper, Role.admin})
"""Who files audits. Shoppers, whose work it is; and admins, to try a checklist end to end
(form, offline queue, scoring, review) before shoppers get it and to back-fill a paper audit
by hand. Refusing admins would protect nothing: an admin can give themself a shopper account,
and an admin's audit is filed under their own name, so head office sees who filed it. Managers
never file (they would audit their own branch or a rival's) and head office only reviews."""


def require_filer(user: CurrentUser) -> None:
    """Refuse, before anything is read or written, a user whose role does not file audits."""
    if user.role not in FILING_ROLES:
        raise AuditForbidden("Only shoppers file audits.")


class _Resolved(msgspec.Struct):
    """The rows an audit refers to, looked up by the codes the client sent."""

    branch: dict
    version_id: int
    version_number: int
    doc: Checklist
    staff_id: int | None
    shift_id: int | None
    shift: str | None
    local: dt.datetime
    visit: dict | None
    score: AuditScore  # scored once, here: the stored results and ``on_fail`` both use it


async def submit_audit(
    data: AuditCreate, user: CurrentUser, *, now: dt.datetime
) -> tuple[AuditOut, bool]:
    """File ``data``; the flag says whether this call created it."""
    require_filer(user)
    existing = (
        await Audit.select(Audit.auditor, Audit.status, Audit.presence)
        .where(Audit.id == data.id)
        .first()
    )
    if existing is not None:
        if existing["auditor"] != user.id:
            raise AuditConflict("This audit id belongs to another audit.")
        if existing["status"] != Audit.Status.returned:
            return await selectors.get_audit(data.id, user), False
    resolved = await _resolve(data, user, now)
    result = resolved.score
    kept = _kept_presence(existing)
    row = await _row(data, user, resolved, result, now, kept)
    if existing is not None:
        review_comment = await _resubmit(data.id, row, user, now)
        return _filed(row, data, user, resolved, result, review_comment), False
    event = await events.submitted_outbox(row, data, resolved.version_number, resolved.shift, now)
    if not await _insert(row, data, user, event):  # the same id won a race: return that audit
        return await selectors.get_audit(data.id, user), False
    return _filed(row, data, user, resolved, result, ""), True


def _filed(
    row: dict,
    data: AuditCreate,
    user: CurrentUser,
    resolved: _Resolved,
    result: AuditScore,
    review_comment: str,
) -> AuditOut:
    """The audit just written, as its filer reads it, from what was written (no read back)."""
    facts = {
        "branch_code": data.branch,
        "checklist_slug": data.checklist,
        "version_number": resolved.version_number,
        "shift_name": resolved.shift,
        "staff_code": data.staff,
        "auditor_name": user.username,
        "timezone": resolved.branch["timezone"],
        "review_comment": review_comment,
    }
    return selectors.audit_out({**row, **facts, "results": result}, user)


async def store_results_of_all(batch: int = 200) -> int:
    """Score every stored audit once against its own checklist version and store the results
    (``Audit.results``), leaving its score and everything else as they are. Run once, by the
    migration that added the column; returns how many were stored."""
    docs: dict[int, Checklist] = {}
    stored = 0
    after: uuid.UUID | None = None
    while rows := await _next_audits(after, batch):
        for row in rows:
            if row["version"] not in docs:
                _, docs[row["version"]] = await checklist_queries.get_version_by_id(row["version"])
            answers = selectors.json_value(row["answers"]) or {}
            results = stored_results(score_audit(docs[row["version"]], answers))
            await Audit.update({Audit.results: results}).where(Audit.id == row["id"])
            stored += 1
        after = rows[-1]["id"]
    return stored


async def _next_audits(after: uuid.UUID | None, batch: int) -> list[dict]:
    query = Audit.select(Audit.id, Audit.version, Audit.answers).order_by(Audit.id).limit(batch)
    if after is not None:
        query = query.where(Audit.id > after)
    return await query


async def _insert(row: dict, data: AuditCreate, user: CurrentUser, event: list[Query]) -> bool:
    """Store the audit and what goes with it, its event too; False when the same id won a race
    a moment ago."""
    then = [
        *event,
        AuditChange.insert(AuditChange(audit=data.id, user=user.id, action="submitted")),
        AuditDraft.delete().where(AuditDraft.id == data.id),
    ]
    if evidence := _evidence_ids(data):
        then.append(
            Evidence.update({Evidence.audit_id: data.id}).where(
                Evidence.id.is_in(evidence), Evidence.uploaded_by == user.id
            )
        )
    if data.visit is not None:
        then.append(Visit.update({Visit.status: Visit.Status.done}).where(Visit.id == data.visit))
    insert = Audit.insert(Audit(**row)).on_conflict(action="DO NOTHING").returning(Audit.id)
    return await write_together(insert, *then)


async def _resubmit(audit_id: uuid.UUID, row: dict, user: CurrentUser, now: dt.datetime) -> str:
    """Update the returned audit in place; returns head office's comment on it."""
    before = await Audit.select(*_TRACKED, Audit.review_comment).where(Audit.id == audit_id).first()
    if before is None:  # the caller found it, in this transaction
        raise AuditNotFound(f"No audit {audit_id}.")
    changes = [
        AuditChange(
            audit=audit_id,
            user=user.id,
            action="resubmitted",
            field=name,
            old=_jsonable(before[name]),
            new=_jsonable(row[name]),
        )
        for name in _TRACKED_NAMES
        if _jsonable(before[name]) != _jsonable(row[name])
    ]
    row = {k: v for k, v in row.items() if k != "id"}
    async with write_transaction():
        await Audit.update(row).where(Audit.id == audit_id)
        if changes:
            await AuditChange.insert(*changes)
        else:
            await AuditChange.insert(
                AuditChange(audit=audit_id, user=user.id, action="resubmitted")
            )
        await _link_evidence(audit_id, row, user)
        await events.emit_audit(audit_id, events.SUBMITTED, now=now, resubmitted=True)
    return before["review_comment"]


_TRACKED = (
    Audit.answers,
    Audit.comments,
    Audit.photos,
    Audit.visited_at,
    Audit.staff,
    Audit.score,
)
_TRACKED_NAMES = ("answers", "comments", "photos", "visited_at", "staff", "score")


async def _link_evidence(audit_id: uuid.UUID, row: dict, user: CurrentUser) -> None:
    """A resubmitted audit's photos: the ones it names now belong to it, the ones it no longer
    names (removed by the shopper) to no audit."""
    named = [r for r in (_canonical_uuid(str(v)) for v in row["answers"].values()) if _is_uuid(r)]
    named += [ref for refs in row["photos"].values() for ref in refs]
    await Evidence.update({Evidence.audit_id: None}).where(
        Evidence.audit_id == audit_id, Evidence.id.not_in(named or [str(uuid.UUID(int=0))])
    )
    if named:
        await Evidence.update({Evidence.audit_id: audit_id}).where(
            Evidence.id.is_in(named), Evidence.uploaded_by == user.id
        )


def _jsonable(value: object) -> object:
    """A tracked value as JSON text for the trail's JSON columns (Piccolo stores a str as is)."""
    if isinstance(value, str) and value[:1] in "{[":
        value = msgspec.json.decode(value)
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC).isoformat()
    return msgspec.json.encode(value).decode()


async def _resolve(data: AuditCreate, user: CurrentUser, now: dt.datetime) -> _Resolved:
    errors: list[FieldError] = []
    if problem := client_id_problem(data.id):
        raise AuditRejected([FieldError("id", problem)])
    branch = await selectors.branch_by_code(data.branch)
    if branch is None:
        raise AuditRejected([FieldError("branch", f"No branch with code {data.branch!r}.")])
    version_id, version_number, doc = await _version(data, errors)
    local = local_time(data.visited_at, branch["timezone"])
    if problem := visit_time_problem(local, now):
        errors.append(FieldError("visited_at", problem))
    if data.channel not in Channel.__members__:
        choices = ", ".join(Channel.__members__)
        errors.append(FieldError("channel", f"Choose one of {choices}."))
    staff_id = await _staff(data, branch, errors)
    visit = await _visit(data, user, branch, errors)
    score = None
    if doc is not None:
        errors += [
            FieldError(f"answers.{k}", m) for k, m in validate_answers(doc, data.answers).items()
        ]
        errors += _comment_errors(doc, data.comments)
        errors += await _photo_errors(doc, data, user)
        if not errors:  # the answers score: what a failure asks for can be judged
            score = score_audit(doc, data.answers)
            errors += on_fail_errors(doc, data, score)
    if errors:
        raise AuditRejected(errors)
    assert doc is not None and version_id is not None and version_number is not None
    assert score is not None
    shifts = await selectors.shift_windows(branch["id"])
    name = shift_for(local, [s for s, _ in shifts])
    shift_id = next((i for s, i in shifts if s.name == name), None)
    return _Resolved(
        branch, version_id, version_number, doc, staff_id, shift_id, name, local, visit, score
    )


async def _version(
    data: AuditCreate, errors: list[FieldError]
) -> tuple[int | None, int | None, Checklist | None]:
    try:
        info, doc = await checklist_queries.get_version(data.checklist, data.version)
        retired = await checklist_queries.is_retired(data.checklist)
    except checklist_queries.ChecklistError as error:
        errors.append(FieldError("checklist", str(error)))
        return None, None, None
    if info.status != "published":
        errors.append(FieldError("checklist", f"Version {info.number} is not published."))
    elif retired and data.version is None:
        errors.append(FieldError("checklist", f"Checklist {data.checklist!r} is retired."))
    return info.id, info.number, doc


async def _staff(data: AuditCreate, branch: dict, errors: list[FieldError]) -> int | None:
    if data.staff is None:
        return None
    staff_id = await selectors.staff_id(branch["id"], data.staff)
    if staff_id is None:
        errors.append(FieldError("staff", f"No staff member {data.staff!r} at {data.branch}."))
    return staff_id


async def _visit(
    data: AuditCreate, user: CurrentUser, branch: dict, errors: list[FieldError]
) -> dict | None:
    if data.visit is None:
        return None
    visit = (
        await Visit.select(
            *Visit.all_columns(),
            Visit.checklist.slug.as_alias("slug"),
            Visit.shift.name.as_alias("shift_name"),
        )
        .where(Visit.id == data.visit)
        .first()
    )
    if visit is None or visit["shopper"] not in (None, user.id):
        errors.append(FieldError("visit", "No such visit of yours."))
        return None
    if visit["branch"] != branch["id"] or visit["slug"] != data.checklist:
        errors.append(FieldError("visit", "The visit was planned for another branch or checklist."))
    return visit


COMMENT_REQUIRED = "A comment is required when this item fails."
PHOTO_REQUIRED = "A photo is required when this item fails."


def on_fail_errors(doc: Checklist, data: AuditCreate, score: AuditScore) -> list[FieldError]:
    """What each failed item's ``on_fail`` requires and the audit lacks: a comment
    (``comments.<item>``) or a photo (``photos.<item>``). Failed as ``score`` (the audit's
    answers scored) says."""
    errors = []
    for failure in score.failed:
        on_fail = doc.item(failure.key).on_fail
        if on_fail is None:
            continue
        if on_fail.comment is Ask.required and not data.comments.get(failure.key, "").strip():
            errors.append(FieldError(f"comments.{failure.key}", COMMENT_REQUIRED))
        if on_fail.photo is Ask.required and not data.photos.get(failure.key):
            errors.append(FieldError(f"photos.{failure.key}", PHOTO_REQUIRED))
    return errors


def _comment_errors(doc: Checklist, comments: dict[str, str]) -> list[FieldError]:
    keys = {item.key for item in doc.items()}
    errors = []
    for key, text in comments.items():
        if key not in keys:
            errors.append(FieldError(f"comments.{key}", "Unknown item."))
        elif "\x00" in text:
            errors.append(FieldError(f"comments.{key}", "Remove the NUL character."))
        elif len(text) > MAX_COMMENT:
            errors.append(FieldError(f"comments.{key}", f"At most {MAX_COMMENT} characters."))
    return errors


async def _photo_errors(doc: Checklist, data: AuditCreate, user: CurrentUser) -> list[FieldError]:
    """Each photo named (a photo item's answer, an item's attached photos) must be one the
    user uploaded; attached photos belong to items of the checklist."""
    photos = _photo_refs(doc, data)
    keys = {item.key for item in doc.items()}
    errors = [FieldError(f"photos.{k}", "Unknown item.") for k in data.photos if k not in keys]
    attached = {f"photos.{key}": [str(r) for r in refs] for key, refs in data.photos.items()}
    named = [*photos.values(), *(r for refs in attached.values() for r in refs)]
    if not named:
        return errors
    found = {
        str(r["id"])
        for r in await Evidence.select(Evidence.id).where(
            Evidence.id.is_in(named), Evidence.uploaded_by == user.id
        )
    }
    missing = "No such photo of yours was uploaded."
    errors += [FieldError(f"answers.{k}", missing) for k, ref in photos.items() if ref not in found]
    errors += [
        FieldError(field, missing)
        for field, refs in attached.items()
        if any(ref not in found for ref in refs)
    ]
    return errors


def _photo_refs(doc: Checklist, data: AuditCreate) -> dict[str, str]:
    refs = {}
    for item in doc.items():
        ref = data.answers.get(item.key)
        if item.type is ItemType.photo and isinstance(ref, str) and ref not in ("", "na"):
            refs[item.key] = _canonical_uuid(ref)
    return refs


def _canonical_uuid(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return value


def _evidence_ids(data: AuditCreate) -> list[str]:
    """The answers that name uploaded photos, and the photos attached to items."""
    answers = [r for r in (_canonical_uuid(str(v)) for v in data.answers.values()) if _is_uuid(r)]
    return answers + _attached(data)


def _attached(data: AuditCreate) -> list[str]:
    return [str(ref) for refs in data.photos.values() for ref in refs]


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


async def _row(
    data: AuditCreate,
    user: CurrentUser,
    resolved: _Resolved,
    result: AuditScore,
    now: dt.datetime,
    kept: PresenceOut | None = None,
) -> dict:
    branch = resolved.branch
    presence = kept or stored_presence(data.evidence, (branch["latitude"], branch["longitude"]))
    flags = review_flags(await _flag_facts(data, user, resolved, result, presence))
    return {
        "id": data.id,
        "version": resolved.version_id,
        "branch": resolved.branch["id"],
        "shift": resolved.shift_id,
        "staff": resolved.staff_id,
        "auditor": user.id,
        "channel": data.channel,
        "visited_at": resolved.local.astimezone(dt.UTC),
        "submitted_at": now,
        "updated_at": now,
        "status": Audit.Status.submitted,
        "answers": data.answers,
        "comments": data.comments,
        "photos": {key: [str(ref) for ref in refs] for key, refs in data.photos.items() if refs},
        "score": result.score,
        "raw_score": result.raw_score,
        "critical_fail": result.critical_fail,
        "section_scores": {s.key: s.score for s in result.sections},
        "dimension_scores": {d.value: v for d, v in result.dimensions.items()},
        "results": stored_results(result),
        "visit": data.visit,
        "staff_description": data.staff_description[:500],
        "visit_minutes": data.visit_minutes,
        "flags": flags,
        "presence": msgspec.to_builtins(presence) if presence else None,
    }


def _kept_presence(existing: dict | None) -> PresenceOut | None:
    """A returned audit keeps the evidence of its first filing: the shopper may well correct it
    away from the branch."""
    stored = selectors.json_value(existing["presence"]) if existing else None
    return msgspec.convert(stored, PresenceOut) if stored else None


async def _flag_facts(
    data: AuditCreate,
    user: CurrentUser,
    resolved: _Resolved,
    result: AuditScore,
    presence: PresenceOut | None,
) -> FlagFacts:
    settings = await OrgSettings.select(OrgSettings.min_visit_minutes).first()
    visit = resolved.visit
    photos = list(_photo_refs(resolved.doc, data).values()) + _attached(data)
    return FlagFacts(
        local_date=resolved.local.date(),
        shift=resolved.shift,
        score=result.score,
        window=(visit["window_start"], visit["window_end"]) if visit else None,
        planned_shift=visit["shift_name"] if visit else None,
        visit_minutes=data.visit_minutes,
        min_visit_minutes=settings["min_visit_minutes"] if settings else 4,
        shopper_history=await selectors.recent_scores(user.id, exclude=data.id),
        reused_photos=await selectors.reused_photo_count(photos, data.id),
        fixes=located_fixes(presence),
        form_seconds=presence.form_seconds if presence else None,
        answered_items=sum(1 for v in data.answers.values() if v not in ("", "na")),
        visit_start=resolved.local.replace(tzinfo=None),
        photo_times=await selectors.photo_capture_times(photos, user.id),
    )
