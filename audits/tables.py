"""The organisation, its people, and the audits filed against checklist versions.

Users are Piccolo's ``BaseUser`` (hashed passwords, login); ``Profile`` adds the Evenly role and
language, ``ManagedBranch`` says which branches a manager reads.
"""

from enum import Enum

from piccolo.apps.user.tables import BaseUser
from piccolo.columns import (
    JSON,
    UUID,
    Boolean,
    Bytea,
    Date,
    DoublePrecision,
    ForeignKey,
    Integer,
    Text,
    Timestamp,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.column_types import Serial  # `id: Serial`: Piccolo adds the column; typed here
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from checklists.tables import ChecklistTemplate, ChecklistVersion


class Channel(str, Enum):
    """Where the service happened; the seed articles count every one of these as service."""

    in_person = "in_person"
    phone = "phone"
    website = "website"
    delivery = "delivery"


class Role(str, Enum):
    shopper = "shopper"
    manager = "manager"
    office = "office"
    admin = "admin"


class Region(Table, tablename="region"):
    id: Serial
    code = Varchar(length=40, unique=True)
    name = Varchar(length=200)


class Branch(Table, tablename="branch"):
    id: Serial
    code = Varchar(length=40, unique=True)
    name = Varchar(length=200)
    region = ForeignKey(Region, null=True, on_delete=OnDelete.set_null)
    timezone = Varchar(length=64, default="UTC")
    address = Text(default="")
    active = Boolean(default=True)
    # Where the branch is (WGS 84 degrees), to tell how far from it a shopper's phone was.
    latitude = DoublePrecision(null=True, default=None)
    longitude = DoublePrecision(null=True, default=None)


class Shift(Table, tablename="shift"):
    """A named time window of the organisation (``branch`` null) or of one branch.

    Times are minutes after local midnight; ``end_minute`` below ``start_minute`` wraps midnight.
    ``name`` is the default (and the key files and forms use); ``names`` the same shift in
    other languages (``{"el": ..., "fa": ...}``), shown to a reader of that language.
    """

    id: Serial

    name = Varchar(length=40)
    names = JSON(default="{}")
    start_minute = Integer()
    end_minute = Integer()
    branch = ForeignKey(Branch, null=True, on_delete=OnDelete.cascade)


class Staff(Table, tablename="staff"):
    id: Serial
    branch = ForeignKey(Branch, on_delete=OnDelete.cascade)
    code = Varchar(length=40)
    name = Varchar(length=200, default="")
    active = Boolean(default=True)


class Profile(Table, tablename="profile"):
    id: Serial
    user = ForeignKey(BaseUser, unique=True, on_delete=OnDelete.cascade)
    role = Varchar(length=20, choices=Role)
    language = Varchar(length=5, null=True, default=None)


class ManagedBranch(Table, tablename="managed_branch"):
    id: Serial
    user = ForeignKey(BaseUser, on_delete=OnDelete.cascade)
    branch = ForeignKey(Branch, on_delete=OnDelete.cascade)


class OrgSettings(Table, tablename="org_settings"):
    """The organisation's choices (a single row)."""

    id: Serial

    name = Varchar(length=200, default="")
    default_language = Varchar(length=5, default="en")
    staff_codes_only = Boolean(default=False)
    min_visit_minutes = Integer(default=4)


class ApiToken(Table, tablename="api_token"):
    """A bearer token for other clients; only its SHA-256 is stored."""

    id: Serial

    user = ForeignKey(BaseUser, on_delete=OnDelete.cascade)
    name = Varchar(length=100, default="")
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    last_used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class UserSession(Table, tablename="user_session"):
    """A login in a browser: the session cookie carries a random key, this row its SHA-256.
    Deleting the row ends the session in every app process (logout, password change,
    deactivation)."""

    id: Serial

    user = ForeignKey(BaseUser, index=True, on_delete=OnDelete.cascade)
    key_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    seen_at = Timestamptz(default=TimestamptzNow())


class Visit(Table, tablename="visit"):
    """A planned visit: where, how, against which checklist, when, and by whom (or open)."""

    id: Serial

    class Status(str, Enum):
        planned = "planned"
        done = "done"
        cancelled = "cancelled"

    branch = ForeignKey(Branch, on_delete=OnDelete.cascade)
    channel = Varchar(length=40, default="in_person")
    checklist = ForeignKey(ChecklistTemplate, on_delete=OnDelete.restrict)
    window_start = Date()
    window_end = Date()
    shift = ForeignKey(Shift, null=True, on_delete=OnDelete.set_null)
    shopper = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
    status = Varchar(length=20, choices=Status, default=Status.planned)
    plan = Varchar(length=60, default="")
    created_by = Varchar(length=150, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class Audit(Table, tablename="audit"):
    """One visit's audit. ``id`` is made by the shopper's device, so a retried submission
    finds the audit it already created. Scores are computed once, at filing, against the
    (immutable) version it points at."""

    class Status(str, Enum):
        draft = "draft"
        submitted = "submitted"
        returned = "returned"
        published = "published"

    id = UUID(primary_key=True)
    version = ForeignKey(ChecklistVersion, on_delete=OnDelete.restrict)
    branch = ForeignKey(Branch, on_delete=OnDelete.restrict)
    shift = ForeignKey(Shift, null=True, on_delete=OnDelete.set_null)
    staff = ForeignKey(Staff, null=True, on_delete=OnDelete.set_null)
    auditor = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
    channel = Varchar(length=40, default="in_person")
    visited_at = Timestamptz()
    submitted_at = Timestamptz(default=TimestamptzNow())
    status = Varchar(length=20, choices=Status, default=Status.submitted)
    answers = JSON(default="{}")
    comments = JSON(default="{}")
    # Photos attached to items (item key → evidence ids), besides a photo item's answer.
    photos = JSON(default="{}")
    score = DoublePrecision(null=True, default=None)
    raw_score = DoublePrecision(null=True, default=None)
    critical_fail = Boolean(default=False)
    section_scores = JSON(default="{}")
    dimension_scores = JSON(default="{}")
    # What scoring computed, whole (``checklists.scoring.stored_results``): per-item statuses and
    # scores, the failed items with reason code and parameters, sections, dimensions. Reads
    # (pages, API, review, reports, actions) take it from here and never score again.
    results = JSON(default="{}")
    visit = ForeignKey(Visit, null=True, on_delete=OnDelete.set_null)
    staff_description = Text(default="")
    visit_minutes = Integer(null=True, default=None)
    flags = JSON(default="[]")
    # Evidence of presence (``fieldwork.presence``), with the shopper's consent: the phone's
    # location at the form's opening and sending, time on the form; the distances to the branch
    # computed at filing. Head office's eyes only.
    presence = JSON(null=True, default=None)
    review_comment = Text(default="")
    reviewed_by = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
    reviewed_at = Timestamptz(null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())
    # Imported history (``fieldwork.imports``): the source system's ``audit_ref``, which makes an
    # import idempotent, and the other audit of the same visit when two auditors scored it.
    external_ref = Varchar(length=120, null=True, default=None, unique=True)
    calibration_of: ForeignKey["Audit"] = ForeignKey("self", null=True, on_delete=OnDelete.set_null)


class AuditDraft(Table, tablename="audit_draft"):
    """A form in progress, saved as the shopper types; ``id`` is the audit id to be."""

    id = UUID(primary_key=True)
    user = ForeignKey(BaseUser, on_delete=OnDelete.cascade)
    payload = JSON(default="{}")
    updated_at = Timestamptz(default=TimestamptzNow())


class Evidence(Table, tablename="evidence"):
    """A photo. Uploaded before its audit exists (offline), so ``audit_id`` is no foreign key;
    ``sha256`` finds the same photo in another audit."""

    id = UUID(primary_key=True)
    audit_id = UUID(null=True, default=None, index=True)
    item_key = Varchar(length=80, default="")
    uploaded_by = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
    content_type = Varchar(length=60)
    size = Integer()
    sha256 = Varchar(length=64, index=True)
    data = Bytea()
    # The camera's clock when the photo was taken (EXIF DateTimeOriginal, read before the
    # metadata is dropped): the wall clock where it was taken, no time zone.
    taken_at = Timestamp(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class AuditChange(Table, tablename="audit_change"):
    """The audit trail: every change after submission, who made it and when, old → new."""

    id: Serial

    audit = ForeignKey(Audit, on_delete=OnDelete.cascade)
    user = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
    at = Timestamptz(default=TimestamptzNow())
    action = Varchar(length=30)
    field = Varchar(length=80, default="")
    old = JSON(null=True, default=None)
    new = JSON(null=True, default=None)
    comment = Text(default="")


class CorrectiveAction(Table, tablename="corrective_action"):
    """A failed item of a published audit, followed until it is fixed and verified.

    ``ref`` (audit id / item key) is unique, so an action is never opened twice for one failure.
    ``state`` is one of ``audits.actions.rules.State``; overdue is not stored but derived from
    ``due_date`` and today in the branch's time zone. ``item_text`` is the item's text as the
    audit's checklist version had it, so a later edit of the checklist changes no action.
    """

    id: Serial

    # Shadows Piccolo's Table.ref(), which Evenly never calls; renaming needs a migration.
    ref = Varchar(length=130, unique=True)  # type: ignore[assignment]
    branch = ForeignKey(Branch, on_delete=OnDelete.cascade, index=True)
    audit = ForeignKey(Audit, on_delete=OnDelete.cascade, index=True)
    checklist = Varchar(length=100, default="")
    item_key = Varchar(length=80)
    item_text = JSON(default="{}")
    reason = Text(default="")  # English, for the API; pages write the code and its facts
    reason_code = Varchar(length=40, default="")
    reason_params = JSON(default="{}")
    severity = Varchar(length=20)
    critical = Boolean(default=False)
    opened_at = Timestamptz(default=TimestamptzNow())
    due_date = Date()
    state = Varchar(length=20, default="open", index=True)
    done_at = Timestamptz(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)
    rechecked_by = ForeignKey(Audit, null=True, on_delete=OnDelete.set_null)
    recurred_as: ForeignKey["CorrectiveAction"] = ForeignKey(
        "self", null=True, on_delete=OnDelete.set_null
    )
    updated_at = Timestamptz(default=TimestamptzNow())


class ActionOwner(Table, tablename="action_owner"):
    """The branch's managers when the action opened: they are reminded of it."""

    id: Serial

    action = ForeignKey(CorrectiveAction, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(BaseUser, on_delete=OnDelete.cascade)


class ActionEvent(Table, tablename="action_event"):
    """Every step of an action: who (null for the system), when, what, the state before and
    after, a comment and a photo (an ``Evidence`` id)."""

    id: Serial

    action = ForeignKey(CorrectiveAction, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
    at = Timestamptz(default=TimestamptzNow())
    kind = Varchar(length=30)
    state_from = Varchar(length=20, default="")
    state_to = Varchar(length=20, default="")
    comment = Text(default="")
    photo = UUID(null=True, default=None)
    audit = ForeignKey(Audit, null=True, on_delete=OnDelete.set_null)
    # A change of owners or of the due date: the value before and after (``actions.changes``).
    old = Varchar(length=400, default="")
    new = Varchar(length=400, default="")


class SentEmail(Table, tablename="sent_email"):
    """An e-mail claimed, then sent (or failed). ``claim`` (kind, recipient, day) is unique:
    the row is inserted before sending, so many app processes send a reminder once a day."""

    id: Serial

    claim = Varchar(length=120, unique=True)
    kind = Varchar(length=30)
    recipient = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
    address = Varchar(length=255, default="")
    day = Date()
    language = Varchar(length=5, default="en")
    subject = Varchar(length=300, default="")
    body = Text(default="")
    status = Varchar(length=20, default="sending")
    error = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    sent_at = Timestamptz(null=True, default=None)


class WebhookEndpoint(Table, tablename="webhook_endpoint"):
    """A receiver another system runs: the URL Evenly POSTs events to and the events it wants.
    ``secret`` signs each request; signing needs it as it is, so it is stored as it is and
    shown to the admin once (on creation and rotation), never read back by a page or the API."""

    id: Serial

    url = Varchar(length=2000)
    description = Varchar(length=200, default="")
    events = JSON(default="[]")
    active = Boolean(default=True)
    secret = Varchar(length=100)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class WebhookEvent(Table, tablename="webhook_event"):
    """The outbox: a fact other systems may follow, written in the transaction of the fact.
    ``body`` is the JSON sent, byte for byte (it is what the signature covers); ``dedup`` is
    set where the same fact may be noticed twice (an action found overdue by two processes)."""

    id = UUID(primary_key=True)
    kind = Varchar(length=40)
    dedup = Varchar(length=120, null=True, default=None, unique=True)
    body = Text()
    created_at = Timestamptz(default=TimestamptzNow())


class WebhookDelivery(Table, tablename="webhook_delivery"):
    """One event for one endpoint, until the receiver answers 2xx. ``key`` is the idempotency
    key a receiver dedups on; a runner claims the row until ``claimed_until`` before sending."""

    id: Serial

    key = UUID(unique=True)
    endpoint = ForeignKey(WebhookEndpoint, on_delete=OnDelete.cascade, index=True)
    event = ForeignKey(WebhookEvent, on_delete=OnDelete.cascade)
    status = Varchar(length=20, default="pending", index=True)
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(default=TimestamptzNow(), index=True)
    claimed_until = Timestamptz(null=True, default=None)
    last_status = Integer(null=True, default=None)
    last_error = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    delivered_at = Timestamptz(null=True, default=None)


class PersonalDataErasure(Table, tablename="personal_data_erasure"):
    """The trail of erasures: whose personal data was erased (by the pseudonym left in its
    place), by whom, when, why, and how many audits kept their scores."""

    id: Serial

    at = Timestamptz(default=TimestamptzNow())
    by = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
    kind = Varchar(length=10)  # "user" or "staff"
    pseudonym = Varchar(length=150)
    audits_kept = Integer(default=0)
    reason = Text(default="")


class KeptResult(Table, tablename="kept_result"):
    """A finished computation kept for every process (today: analyses of a period). ``key`` is
    a digest of everything that went into it, so a row is never stale, only unused: rows
    unused for a while, or past the newest few of their ``kind``, are pruned."""

    id: Serial

    key = Varchar(length=64, unique=True)
    kind = Varchar(length=30, index=True)
    data = Bytea()
    size = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())
    used_at = Timestamptz(default=TimestamptzNow(), index=True)


class ReportSubscription(Table, tablename="report_subscription"):
    """Someone head office subscribed to a report: ``kind`` is ``branch`` (the branch PDF of
    ``branch``, or, with no branch, of each branch the manager manages), ``headoffice`` (the
    head-office PDF) or ``visits`` (each approved visit of the branch, or of each of the
    manager's branches, as its visit report). ``cadence`` is weekly or monthly for the PDFs,
    ``approval`` for visits. The language is the reader's own (their profile)."""

    id: Serial

    user = ForeignKey(BaseUser, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=20)
    branch = ForeignKey(Branch, null=True, on_delete=OnDelete.cascade)
    cadence = Varchar(length=20)
    active = Boolean(default=True)
    created_by = Varchar(length=150, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class ReportDelivery(Table, tablename="report_delivery"):
    """One report sent to one subscriber for one period (or one approved visit). ``claim``
    (subscription, period, branch) is unique and inserted before the PDF is built and sent, so
    however many processes run the schedule, each period goes once; a failed row is claimed
    again by the next run."""

    id: Serial

    claim = Varchar(length=160, unique=True)
    subscription = ForeignKey(ReportSubscription, on_delete=OnDelete.cascade, index=True)
    period = Varchar(length=60)
    branch = Varchar(length=40, default="")
    address = Varchar(length=255, default="")
    language = Varchar(length=5, default="en")
    subject = Varchar(length=300, default="")
    attached = Boolean(default=False)
    size = Integer(default=0)
    status = Varchar(length=20, default="sending")
    error = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    sent_at = Timestamptz(null=True, default=None)


class Job(Table, tablename="job"):
    """Long work asked for by a page or a schedule, run by a worker (``audits.jobs``): its
    state, progress and result for the reader who asked. ``key`` is a digest of everything that
    goes into the result, so a second identical request joins the first; ``audience`` is who
    may read it (``office``, or ``branch:CODE``)."""

    id: Serial

    kind = Varchar(length=40)
    key = Varchar(length=64, index=True)
    args = Text(default="{}")
    audience = Varchar(length=80, default="office")
    state = Varchar(length=12, default="queued", index=True)
    progress = DoublePrecision(default=0.0)
    result_key = Varchar(length=64, default="")
    filename = Varchar(length=120, default="")
    error = Text(default="")
    attempts = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())
    heartbeat_at = Timestamptz(default=TimestamptzNow())
    finished_at = Timestamptz(null=True, default=None)


class AuditImport(Table, tablename="audit_import"):
    """An uploaded file of audits imported by a job (``audits.fieldwork.import_runs``), keyed
    by the job's ``key``. ``planned`` is what the first attempt found to do (JSON; a rerun after
    a restart reports it, not what was left); ``outcome`` is set, and the file dropped, in the
    transaction that finishes the import, so a rerun finds it done. ``file_key`` is a digest of
    the file and its options: an upload of a file being imported joins that import."""

    id: Serial

    key = Varchar(length=64, unique=True)
    file_key = Varchar(length=64, index=True)
    data = Bytea()
    checklist = Varchar(length=120, default="")
    create_missing = Boolean(default=False)
    planned = Text(default="")
    outcome = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
