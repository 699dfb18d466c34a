"""Review before publishing: approve, return with a comment, the queue, and the trail."""

import datetime as dt
import itertools
import uuid

import msgspec
import pytest
from piccolo.apps.user.tables import BaseUser

from audits.actions.services import approve_audit
from audits.fieldwork import review
from audits.fieldwork.filing import submit_audit
from audits.fieldwork.risk import TrackRecord
from audits.fieldwork.schemas import AuditCreate, AuditNotFound, AuditRejected
from audits.org.users import CurrentUser, get_current_user
from audits.tables import Audit, AuditChange, KeptResult

from ..web import audit_fixtures
from ..web.audit_fixtures import audit_body

org = audit_fixtures.org  # the organisation of the web tests, as a fixture here

NOW = dt.datetime(2026, 3, 11, 9, tzinfo=dt.UTC)
_minutes = itertools.count()


async def _user(name: str) -> CurrentUser:
    row = await BaseUser.select(BaseUser.id).where(BaseUser.username == name).first()
    user = await get_current_user(row["id"])
    assert user is not None
    return user


async def _file(doc, name: str = "sam", **overrides) -> uuid.UUID:
    data = msgspec.convert(audit_body(doc, **overrides), AuditCreate)
    now = NOW + dt.timedelta(minutes=next(_minutes))  # distinct times: the queue's order
    audit, _ = await submit_audit(data, await _user(name), now=now)
    return audit.id


async def _status(audit_id: uuid.UUID) -> str:
    row = await Audit.select(Audit.status).where(Audit.id == audit_id).first()
    return row["status"]


async def test_approve_publishes_and_records_who_and_old_new_status(org):
    audit_id = await _file(org)
    ada = await _user("ada")
    await approve_audit(audit_id, ada, "Fine.", now=NOW)
    assert await _status(audit_id) == "published"
    trail = await review.audit_trail(audit_id)
    assert [t.action for t in trail] == ["submitted", "approved"]
    approved = trail[-1]
    assert (approved.user, approved.field, approved.old, approved.new, approved.comment) == (
        "ada",
        "status",
        "submitted",
        "published",
        "Fine.",
    )
    row = await Audit.select(Audit.reviewed_by, Audit.review_comment).first()
    assert row == {"reviewed_by": ada.id, "review_comment": "Fine."}


async def test_return_to_shopper_records_the_comment(org):
    audit_id = await _file(org)
    await review.return_to_shopper(audit_id, await _user("ada"), "Add the wait time.")
    assert await _status(audit_id) == "returned"
    last = (await review.audit_trail(audit_id))[-1]
    assert (last.action, last.new, last.comment) == ("returned", "returned", "Add the wait time.")


async def test_return_without_comment_is_rejected_and_changes_nothing(org):
    audit_id = await _file(org)
    with pytest.raises(AuditRejected) as caught:
        await review.return_to_shopper(audit_id, await _user("ada"), "   ")
    assert caught.value.errors[0].key == "comment"
    assert await _status(audit_id) == "submitted"
    assert await AuditChange.count().where(AuditChange.action == "returned") == 0


@pytest.mark.parametrize("first", ["approve", "return"])
async def test_transition_from_wrong_status_raises_wrong_status(org, first):
    audit_id = await _file(org)
    ada = await _user("ada")
    if first == "approve":
        await approve_audit(audit_id, ada)
    else:
        await review.return_to_shopper(audit_id, ada, "Fix it.")
    with pytest.raises(review.WrongStatus):
        await approve_audit(audit_id, ada)
    with pytest.raises(review.WrongStatus):
        await review.return_to_shopper(audit_id, ada, "Again.")
    assert await AuditChange.count().where(AuditChange.action.is_in(["approved", "returned"])) == 1


async def test_only_head_office_may_review(org):
    audit_id = await _file(org)
    for name in ("sam", "max"):
        with pytest.raises(AuditNotFound):
            await approve_audit(audit_id, await _user(name))
    assert await _status(audit_id) == "submitted"
    await approve_audit(audit_id, await _user("root"))  # admin may
    assert await _status(audit_id) == "published"


async def test_unknown_audit_is_not_found(org):
    with pytest.raises(AuditNotFound):
        await approve_audit(uuid.uuid4(), await _user("ada"))
    with pytest.raises(AuditNotFound):
        await review.audit_trail(uuid.uuid4())


async def test_resubmission_after_return_is_in_the_trail_item_by_item(org):
    body = audit_body(org)
    sam = await _user("sam")
    await submit_audit(msgspec.convert(body, AuditCreate), sam, now=NOW)
    audit_id = uuid.UUID(body["id"])
    await review.return_to_shopper(audit_id, await _user("ada"), "Check the wait.")
    old_wait = body["answers"]["queue_wait_minutes"]
    body["answers"]["queue_wait_minutes"] = 9
    await submit_audit(msgspec.convert(body, AuditCreate), sam, now=NOW)
    assert await _status(audit_id) == "submitted"
    resubmitted = {
        t.field: t for t in await review.audit_trail(audit_id) if t.action == "resubmitted"
    }
    wait = resubmitted["answers.queue_wait_minutes"]
    assert (wait.user, wait.old, wait.new) == ("sam", old_wait, 9)
    assert resubmitted["score"].old == 100.0 and resubmitted["score"].new < 100.0
    assert set(resubmitted) == {"answers.queue_wait_minutes", "score"}


async def test_approve_runs_its_on_published_step_in_the_publishing_transaction(org):
    """``review.approve`` publishes and runs the step it is given (``approve_audit`` gives the
    opener of corrective actions) all or nothing: a failing step leaves the audit submitted."""
    audit_id = await _file(org)
    seen = []

    async def failing(published: uuid.UUID, now: dt.datetime) -> None:
        seen.append((published, await _status(published)))
        raise RuntimeError("the step failed")

    with pytest.raises(RuntimeError):
        await review.approve(audit_id, await _user("ada"), on_published=failing, now=NOW)
    assert seen == [(audit_id, "published")]
    assert await _status(audit_id) == "submitted"
    assert [t.action for t in await review.audit_trail(audit_id)] == ["submitted"]


async def test_queue_holds_submitted_audits_oldest_first_with_flags(org):
    first = await _file(org)
    second = await _file(org, "sue", visit_minutes=1)
    b2 = await _file(org, branch="B2", staff=None, visited_at="2026-03-10T18:30:00+01:00")
    published = await _file(org)
    await approve_audit(published, await _user("ada"))
    queue = await review.review_queue(order="oldest")
    assert [e.id for e in queue] == [first, second, b2]
    by_risk = await review.review_queue()  # the flagged one first, the rest oldest first
    assert [e.id for e in by_risk] == [second, first, b2]
    assert queue[1].auditor == "sue" and "short_visit" in queue[1].flags
    assert [e.id for e in await review.review_queue(flag="short_visit")] == [second]
    assert [e.id for e in await review.review_queue(branch="B2")] == [b2]


def test_expand_change_lists_changed_items_only():
    row = {
        "at": NOW,
        "username": "sam",
        "action": "resubmitted",
        "field": "comments",
        "old": '{"a": "x", "b": "y"}',
        "new": '{"a": "x", "b": "z", "c": "new"}',
        "comment": "",
    }
    entries = review.expand_change(row)
    assert [(e.field, e.old, e.new) for e in entries] == [
        ("comments.b", "y", "z"),
        ("comments.c", None, "new"),
    ]


async def _flag(audit_id: uuid.UUID, *flags: str) -> None:
    """Flags as filing would have set them (the rules that set them are tested in unit tests)."""
    await Audit.update({Audit.flags: list(flags)}).where(Audit.id == audit_id)


async def test_queue_puts_a_planted_fabricated_visit_first_and_says_why(org):
    """A 2-minute visit with a photo from another audit, among honest audits that carry one
    milder flag each, comes first; its reasons are the two flags."""
    honest = [await _file(org) for _ in range(4)]
    flags = ("other_shift", "outside_window", "unusual_for_shopper", "")
    for audit_id, flag in zip(honest, flags, strict=True):
        await _flag(audit_id, *([flag] if flag else []))
    fabricated = await _file(org, "sue")
    await _flag(fabricated, "short_visit", "photo_reused")
    queue = await review.review_queue()
    assert queue[0].id == fabricated
    codes = [r.code for r in queue[0].risk_reasons]
    assert codes[:2] == ["photo_reused", "short_visit"] and "track_record" in codes
    assert queue[-1].id == honest[3]  # no flag: last


async def test_queue_weighs_the_shoppers_track_record(org):
    ada = await _user("ada")
    for _ in range(3):  # three of sue's audits came back before
        await review.return_to_shopper(await _file(org, "sue"), ada, "Redo it.")
    await approve_audit(await _file(org, "sam"), ada)
    sams = await _file(org, "sam")
    sues = await _file(org, "sue")
    await _flag(sams, "other_shift")
    await _flag(sues, "other_shift")
    queue = [e for e in await review.review_queue() if e.id in (sams, sues)]
    assert [e.id for e in queue] == [sues, sams]
    assert queue[0].risk > queue[1].risk


async def test_track_records_kept_follow_each_review_and_name_no_one(org):
    """The counts are kept between views (a chain's reviews are hundreds of thousands of rows),
    never stale, and what is kept holds shopper ids, not names (an erased shopper's name must
    not outlive them there)."""
    ada = await _user("ada")
    await approve_audit(await _file(org, "sam"), ada)
    assert (await review.track_records())["sam"] == TrackRecord(reviewed=1, returned=0)
    await review.return_to_shopper(await _file(org, "sam"), ada, "Redo it.")
    assert (await review.track_records())["sam"] == TrackRecord(reviewed=2, returned=1)
    kept = await KeptResult.select(KeptResult.data).where(KeptResult.kind == review.TRACK_RECORDS)
    assert kept and all(b"sam" not in bytes(row["data"]) for row in kept)


async def test_dismissed_flag_no_longer_counts_and_its_reason_is_in_the_trail(org):
    ada = await _user("ada")
    checked = await _file(org)
    other = await _file(org)
    await _flag(checked, "photo_reused")
    await _flag(other, "other_shift")
    assert (await review.review_queue())[0].id == checked
    await review.dismiss_flag(checked, ada, "photo_reused", "Same shop front, new photo.")
    await review.dismiss_flag(checked, ada, "photo_reused", "Clicked twice.")  # no second row
    queue = await review.review_queue()
    assert [e.id for e in queue] == [other, checked]
    assert queue[1].dismissed == ["photo_reused"] and queue[1].flags == ["photo_reused"]
    trail = [t for t in await review.audit_trail(checked) if t.action == "flag_dismissed"]
    assert [(t.user, t.old, t.comment) for t in trail] == [
        ("ada", "photo_reused", "Same shop front, new photo.")
    ]


@pytest.mark.parametrize(
    ("flag", "reason", "field"),
    [
        ("photo_reused", " ", "reason"),
        ("short_visit", "Fine.", "flag"),
        ("x", "y" * 2001, "reason"),
    ],
)
async def test_dismiss_flag_bad_input_names_the_field_and_writes_nothing(org, flag, reason, field):
    audit_id = await _file(org)
    await _flag(audit_id, "photo_reused")
    with pytest.raises(AuditRejected) as caught:
        await review.dismiss_flag(audit_id, await _user("ada"), flag, reason)
    assert caught.value.errors[0].key == field
    assert not await AuditChange.exists().where(AuditChange.action == "flag_dismissed")


async def test_dismiss_flag_only_by_head_office_and_only_while_waiting(org):
    audit_id = await _file(org)
    await _flag(audit_id, "photo_reused")
    with pytest.raises(AuditNotFound):
        await review.dismiss_flag(audit_id, await _user("sam"), "photo_reused", "Mine is fine.")
    ada = await _user("ada")
    await approve_audit(audit_id, ada)
    with pytest.raises(review.WrongStatus):
        await review.dismiss_flag(audit_id, ada, "photo_reused", "Too late.")


BRANCH_B1 = (37.975527, 23.734840)  # Athens, Syntagma
NEAR_B1 = {"latitude": 37.9757, "longitude": 23.7351, "accuracy": 15.0}
THESSALONIKI = {"latitude": 40.6401, "longitude": 22.9444, "accuracy": 12.0}


def _camera_jpeg(taken: str, colour: str = "teal") -> bytes:
    import io

    from PIL import Image

    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = taken
    out = io.BytesIO()
    Image.new("RGB", (32, 24), colour).save(out, "JPEG", exif=exif)
    return out.getvalue()


async def _file_with_evidence(doc, name: str, photo: bytes, where: dict, seconds: int):
    from audits.fieldwork.evidence import save_evidence

    user = await _user(name)
    body = audit_body(doc)
    body["answers"]["premises_photo"] = str(await save_evidence(photo, "image/jpeg", user))
    body["evidence"] = {"opened": where, "sent": where, "form_seconds": seconds}
    audit, _ = await submit_audit(msgspec.convert(body, AuditCreate), user, now=NOW)
    return audit.id


async def test_queue_puts_a_fabricated_visit_filed_through_the_app_first(org):
    """Evidence of presence at work: a visit "made" 300 km away, its 26 items answered in 2
    minutes, with a photo from another audit that the camera took a month before, comes first
    among honest audits filed at the branch, photographed during the visit (18:30 local)."""
    from audits.tables import Branch

    lat, lon = BRANCH_B1
    await Branch.update({Branch.latitude: lat, Branch.longitude: lon}).where(Branch.code == "B1")
    honest_photo = _camera_jpeg("2026:03:10 18:41:07")
    honest = [
        await _file_with_evidence(
            org, "sam", _camera_jpeg(f"2026:03:10 18:4{i}:00", c), NEAR_B1, 900
        )
        for i, c in enumerate(("red", "blue", "green"))
    ]
    honest.append(await _file_with_evidence(org, "sam", honest_photo, NEAR_B1, 1100))
    await _flag(honest[0], "other_shift", *await _flags_of(honest[0]))
    reused = _camera_jpeg("2026:02:08 11:02:00")
    await _file_with_evidence(org, "sue", reused, NEAR_B1, 800)
    fabricated = await _file_with_evidence(org, "sue", reused, THESSALONIKI, 120)
    assert set(await _flags_of(fabricated)) == {
        "far_from_branch",
        "form_too_quick",
        "photo_reused",
        "photo_taken_outside_visit",
    }
    for audit_id in honest[1:]:
        assert await _flags_of(audit_id) == []
    queue = await review.review_queue()
    assert queue[0].id == fabricated
    codes = [r.code for r in queue[0].risk_reasons]
    assert set(codes[:4]) == {
        "far_from_branch",
        "photo_reused",
        "photo_taken_outside_visit",
        "form_too_quick",
    }


async def _flags_of(audit_id: uuid.UUID) -> list[str]:
    from audits.fieldwork.selectors import json_value

    row = await Audit.select(Audit.flags).where(Audit.id == audit_id).first()
    return json_value(row["flags"])
