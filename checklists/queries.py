"""Reading and writing checklists and their versions.

A checklist has numbered versions; at most one is a draft. Publishing freezes a version for
good: every write to a published version raises ``VersionFrozen``.
"""

from __future__ import annotations

import datetime as dt
import functools

import msgspec

from .model import Checklist, Item, Section
from .tables import ChecklistItem, ChecklistSection, ChecklistTemplate, ChecklistVersion

Status = ChecklistVersion.Status


class ChecklistError(Exception):
    """Base of the domain errors below; the message is for the user."""


class ChecklistNotFound(ChecklistError):
    pass


class VersionNotFound(ChecklistError):
    pass


class VersionFrozen(ChecklistError):
    """A published version was asked to change."""


class ChecklistRetired(ChecklistError):
    pass


class VersionInfo(msgspec.Struct):
    slug: str
    number: int
    status: str
    created_at: dt.datetime
    created_by: str
    published_at: dt.datetime | None
    published_by: str
    id: int


class ChecklistSummary(msgspec.Struct):
    slug: str
    title: dict[str, str]
    channel: str | None
    retired: bool
    published: int | None
    draft: int | None
    items: int


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _db():
    return ChecklistTemplate._meta.db


async def _template(slug: str) -> dict:
    row = await ChecklistTemplate.select().where(ChecklistTemplate.slug == slug).first()
    if row is None:
        raise ChecklistNotFound(f"No checklist {slug!r}.")
    return row


def _info(slug: str, row: dict) -> VersionInfo:
    return VersionInfo(
        slug=slug,
        number=row["number"],
        status=row["status"],
        created_at=row["created_at"],
        created_by=row["created_by"],
        published_at=row["published_at"],
        published_by=row["published_by"],
        id=row["id"],
    )


async def list_versions(slug: str) -> list[VersionInfo]:
    template = await _template(slug)
    rows = (
        await ChecklistVersion.select()
        .where(ChecklistVersion.checklist == template["id"])
        .order_by(ChecklistVersion.number)
    )
    return [_info(slug, row) for row in rows]


async def list_checklists(include_retired: bool = True) -> list[ChecklistSummary]:
    templates = await ChecklistTemplate.select().order_by(ChecklistTemplate.slug)
    versions = await ChecklistVersion.select(
        ChecklistVersion.id,
        ChecklistVersion.checklist,
        ChecklistVersion.number,
        ChecklistVersion.status,
    )
    counts = {
        row["version"]: row["count"]
        for row in await ChecklistItem.raw(
            "SELECT version, COUNT(*) AS count FROM checklist_item GROUP BY version"
        )
    }
    summaries = []
    for t in templates:
        if t["retired_at"] and not include_retired:
            continue
        mine = [v for v in versions if v["checklist"] == t["id"]]
        published = [v for v in mine if v["status"] == Status.published]
        drafts = [v for v in mine if v["status"] == Status.draft]
        latest = max(published, key=lambda v: v["number"]) if published else None
        summaries.append(
            ChecklistSummary(
                slug=t["slug"],
                title=_json(t["title"]),
                channel=t["channel"],
                retired=t["retired_at"] is not None,
                published=latest["number"] if latest else None,
                draft=drafts[0]["number"] if drafts else None,
                items=counts.get(latest["id"], 0) if latest else 0,
            )
        )
    return summaries


async def get_version(slug: str, number: int | None = None) -> tuple[VersionInfo, Checklist]:
    """A version and its document; without ``number``, the latest published one (or the
    draft when nothing is published yet)."""
    template = await _template(slug)
    query = ChecklistVersion.select().where(ChecklistVersion.checklist == template["id"])
    if number is not None:
        row = await query.where(ChecklistVersion.number == number).first()
    else:
        rows = await query.order_by(ChecklistVersion.number, ascending=False)
        published = [r for r in rows if r["status"] == Status.published]
        row = (published or rows)[0] if rows else None
    if row is None:
        raise VersionNotFound(f"Checklist {slug!r} has no version {number}.")
    return _info(slug, row), await _read_document(slug, row)


async def get_version_by_id(version_id: int) -> tuple[VersionInfo, Checklist]:
    row = (
        await ChecklistVersion.select(
            *ChecklistVersion.all_columns(), ChecklistVersion.checklist.slug.as_alias("slug")
        )
        .where(ChecklistVersion.id == version_id)
        .first()
    )
    if row is None:
        raise VersionNotFound(f"No checklist version {version_id}.")
    return _info(row["slug"], row), await _read_document(row["slug"], row)


async def import_checklist(doc: Checklist, *, by: str, publish: bool = False) -> VersionInfo:
    """Store a document as the checklist's draft (a new checklist if the slug is new).

    An existing draft is replaced; published versions are never touched.
    """
    async with _db().transaction():
        row = await ChecklistTemplate.select().where(ChecklistTemplate.slug == doc.slug).first()
        if row is None:
            inserted = await ChecklistTemplate.insert(
                ChecklistTemplate(slug=doc.slug, title=doc.title, channel=doc.channel)
            ).returning(ChecklistTemplate.id)
            template_id = inserted[0]["id"]
        else:
            template_id = row["id"]
        draft = await _draft_row(template_id)
        if draft is None:
            draft = await _new_version_row(template_id, by)
        await _write_document(draft["id"], doc)
        await ChecklistTemplate.update(
            {ChecklistTemplate.title: doc.title, ChecklistTemplate.channel: doc.channel}
        ).where(ChecklistTemplate.id == template_id)
    info = _info(doc.slug, await _version_row(draft["id"]))
    if publish:
        info = await publish_version(doc.slug, info.number, by=by)
    return info


async def start_draft(slug: str, *, by: str) -> VersionInfo:
    """The checklist's draft, made from its latest version when there is none."""
    template = await _template(slug)
    existing = await _draft_row(template["id"])
    if existing is not None:
        return _info(slug, existing)
    _, doc = await get_version(slug)
    async with _db().transaction():
        row = await _new_version_row(template["id"], by)
        await _write_document(row["id"], doc)
    return _info(slug, await _version_row(row["id"]))


async def save_draft(slug: str, number: int, doc: Checklist, *, by: str) -> VersionInfo:
    """Replace the content of draft ``number``; a published version raises ``VersionFrozen``."""
    info, _ = await get_version(slug, number)
    if info.status != Status.draft:
        raise VersionFrozen(
            f"Version {number} of {slug!r} is published and cannot change; "
            "start a new draft to edit it."
        )
    if doc.slug != slug:
        raise ChecklistError(f"The document's slug {doc.slug!r} is not {slug!r}.")
    async with _db().transaction():
        await _write_document(info.id, doc)
    return info


async def publish_version(slug: str, number: int, *, by: str) -> VersionInfo:
    info, _ = await get_version(slug, number)
    if info.status != Status.draft:
        raise VersionFrozen(f"Version {number} of {slug!r} is already published.")
    await ChecklistVersion.update(
        {
            ChecklistVersion.status: Status.published,
            ChecklistVersion.published_at: _now(),
            ChecklistVersion.published_by: by,
        }
    ).where(ChecklistVersion.id == info.id)
    return _info(slug, await _version_row(info.id))


async def discard_draft(slug: str, number: int) -> None:
    info, _ = await get_version(slug, number)
    if info.status != Status.draft:
        raise VersionFrozen(f"Version {number} of {slug!r} is published and cannot be deleted.")
    await ChecklistVersion.delete().where(ChecklistVersion.id == info.id)


async def set_retired(slug: str, retired: bool) -> None:
    """A retired checklist takes no new audits; its versions and old audits stay."""
    template = await _template(slug)
    await ChecklistTemplate.update(
        {ChecklistTemplate.retired_at: _now() if retired else None}
    ).where(ChecklistTemplate.id == template["id"])


async def is_retired(slug: str) -> bool:
    return (await _template(slug))["retired_at"] is not None


async def _draft_row(template_id: int) -> dict | None:
    return (
        await ChecklistVersion.select()
        .where(ChecklistVersion.checklist == template_id)
        .where(ChecklistVersion.status == Status.draft)
        .first()
    )


async def _version_row(version_id: int) -> dict:
    row = await ChecklistVersion.select().where(ChecklistVersion.id == version_id).first()
    if row is None:
        raise VersionNotFound(f"No checklist version {version_id}.")
    return row


async def _new_version_row(template_id: int, by: str) -> dict:
    numbers = await ChecklistVersion.select(ChecklistVersion.number).where(
        ChecklistVersion.checklist == template_id
    )
    number = max((r["number"] for r in numbers), default=0) + 1
    inserted = await ChecklistVersion.insert(
        ChecklistVersion(checklist=template_id, number=number, created_by=by)
    ).returning(ChecklistVersion.id)
    return await _version_row(inserted[0]["id"])


def _json(value):
    if isinstance(value, str):
        return msgspec.json.decode(value) if value else None
    return value


def _spec(item: Item) -> dict | None:
    """The item's settings besides its columns: the type's scale, options or number target,
    and what a failure asks for (``on_fail``)."""
    spec: dict = {}
    for name in ("scale", "target"):
        value = getattr(item, name)
        if value is not None:
            spec[name] = msgspec.to_builtins(value)
            break
    else:
        if item.options:
            spec["options"] = msgspec.to_builtins(item.options)
    if item.on_fail is not None:
        spec["on_fail"] = msgspec.to_builtins(item.on_fail)
    return spec or None


async def _write_document(version_id: int, doc: Checklist) -> None:
    """Replace a version's header, sections and items with ``doc`` (caller holds a transaction)."""
    await ChecklistVersion.update(
        {
            ChecklistVersion.title: doc.title,
            ChecklistVersion.description: doc.description,
            ChecklistVersion.channel: doc.channel,
            ChecklistVersion.critical_cap: doc.critical_policy.cap,
        }
    ).where(ChecklistVersion.id == version_id)
    await ChecklistSection.delete().where(ChecklistSection.version == version_id)
    for position, section in enumerate(doc.sections):
        inserted = await ChecklistSection.insert(
            ChecklistSection(
                version=version_id,
                key=section.key,
                position=position,
                weight=section.weight,
                title=section.title,
            )
        ).returning(ChecklistSection.id)
        section_id = inserted[0]["id"]
        rows = [_item_row(version_id, section_id, i, item) for i, item in enumerate(section.items)]
        if rows:
            await ChecklistItem.insert(*rows)


def _item_row(version_id: int, section_id: int, position: int, item: Item) -> ChecklistItem:
    return ChecklistItem(
        version=version_id,
        section=section_id,
        key=item.key,
        position=position,
        type=item.type.value,
        dimension=item.dimension.value if item.dimension else None,
        weight=item.weight,
        critical=item.critical,
        na_allowed=item.na_allowed,
        required=item.required,
        pass_mark=item.pass_mark,
        action=item.action.value,
        text=item.text,
        help=item.help,
        condition=msgspec.to_builtins(item.condition) if item.condition else None,
        spec=_spec(item),
    )


_PUBLISHED: dict[tuple[int, dt.datetime], Checklist] = {}
"""Published versions never change, so their documents are read once per process
(keyed with the publication time too, so a reused id never finds another's document)."""


async def _read_document(slug: str, version: dict) -> Checklist:
    key = (version["id"], version["published_at"])
    if version["status"] == Status.published and key in _PUBLISHED:
        return _PUBLISHED[key]
    doc = await _read_document_rows(slug, version)
    if version["status"] == Status.published:
        if len(_PUBLISHED) > 256:
            _PUBLISHED.clear()
        _PUBLISHED[key] = doc
    return doc


async def _read_document_rows(slug: str, version: dict) -> Checklist:
    sections = (
        await ChecklistSection.select()
        .where(ChecklistSection.version == version["id"])
        .order_by(ChecklistSection.position)
    )
    items = (
        await ChecklistItem.select()
        .where(ChecklistItem.version == version["id"])
        .order_by(ChecklistItem.position)
    )
    document = {
        "slug": slug,
        "title": _json(version["title"]) or {},
        "description": _json(version["description"]) or {},
        "channel": version["channel"],
        "critical_policy": {"cap": version["critical_cap"]},
        "sections": [
            {
                "key": s["key"],
                "title": _json(s["title"]) or {},
                **_without_defaults({"weight": s["weight"]}, Section),
                "items": [_item(row) for row in items if row["section"] == s["id"]],
            }
            for s in sections
        ],
    }
    return msgspec.convert(document, Checklist)


def _item(row: dict) -> dict:
    fields = ("key", "type", "dimension", "weight", "critical", "na_allowed", "required")
    item = {name: row[name] for name in fields + ("pass_mark", "action")}
    item.update(text=_json(row["text"]) or {}, help=_json(row["help"]) or {})
    if row["condition"]:
        item["condition"] = _json(row["condition"])
    item.update(_json(row["spec"]) or {})
    return _without_defaults(item, Item)


def _without_defaults(values: dict, struct: type) -> dict:
    """Leave out values equal to the field's default, as the file that was imported did
    (msgspec's ``omit_defaults`` compares floats read back from the database by identity)."""
    defaults = _defaults(struct)
    return {k: v for k, v in values.items() if k not in defaults or v != defaults[k]}


@functools.cache
def _defaults(struct: type) -> dict:
    fields = msgspec.structs.fields(struct)
    return {f.name: f.default for f in fields if f.default is not msgspec.NODEFAULT}


async def checklist_titles() -> dict[str, dict[str, str]]:
    """Every checklist's title in all its languages, by slug (one small query: a page that
    lists audits names their checklists by title, not slug)."""
    rows = await ChecklistTemplate.select(ChecklistTemplate.slug, ChecklistTemplate.title)
    return {row["slug"]: _json(row["title"]) or {} for row in rows}
