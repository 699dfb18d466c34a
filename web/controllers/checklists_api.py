"""JSON API for checklists: read by every role, written by head office."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY

from audits.boundary.bounds import ID_MAX
from audits.org.users import CurrentUser
from checklists import queries
from checklists.checks import check_checklist
from checklists.model import Checklist
from checklists.queries import ChecklistSummary, VersionInfo
from checklists.scoring import AuditScore, score_audit, validate_answers
from web.auth import requires_any_role, requires_login, requires_office
from web.visibility import may_read, readable_version, visible_checklists


class ChecklistVersionOut(msgspec.Struct):
    """A version's facts and its whole document."""

    version: VersionInfo
    checklist: Checklist


class ScoreRequest(msgspec.Struct):
    answers: dict[str, Any]


def _checked(doc: Checklist) -> Checklist:
    problems = check_checklist(doc)
    if problems:
        raise HTTPException(
            status_code=HTTP_422_UNPROCESSABLE_ENTITY,
            detail=f"{problems[0].path}: {problems[0].message}",
            extra=[{"key": p.path, "message": p.message} for p in problems],
        )
    return doc


def _number(slug: str, number: str) -> int | None:
    """``latest`` or a version number."""
    if number == "latest":
        return None
    if not (number.isascii() and number.isdigit() and 0 < int(number) <= ID_MAX):
        raise HTTPException(status_code=404, detail=f"No version {number!r} of {slug!r}.")
    return int(number)


class ChecklistApiController(Controller):
    path = "/api/checklists"
    tags = ["checklists"]
    guards = [requires_login]

    @get("/")
    async def list_checklists(self, user: NamedDependency[CurrentUser]) -> list[ChecklistSummary]:
        """Every checklist with its latest published version (and draft, for head office)."""
        return visible_checklists(await queries.list_checklists(), user)

    @get("/{slug:str}/versions")
    async def list_versions(
        self, slug: FromPath[str], user: NamedDependency[CurrentUser]
    ) -> list[VersionInfo]:
        return [v for v in await queries.list_versions(slug) if may_read(v, user)]

    @get("/{slug:str}/versions/{number:str}")
    async def get_version(
        self, slug: FromPath[str], number: FromPath[str], user: NamedDependency[CurrentUser]
    ) -> ChecklistVersionOut:
        """One version (a number, or ``latest``: the newest published one)."""
        info, doc = await readable_version(slug, _number(slug, number), user)
        return ChecklistVersionOut(version=info, checklist=doc)

    @post("/", guards=[requires_office])
    async def import_checklist(
        self, data: JSONBody[Checklist], user: NamedDependency[CurrentUser]
    ) -> VersionInfo:
        """Store a checklist document as a draft (a new checklist when the slug is new)."""
        return await queries.import_checklist(_checked(data), by=user.username)

    @post("/{slug:str}/drafts", guards=[requires_office])
    async def start_draft(
        self, slug: FromPath[str], user: NamedDependency[CurrentUser]
    ) -> VersionInfo:
        """The checklist's draft, copied from its latest version when there is none."""
        return await queries.start_draft(slug, by=user.username)

    @put("/{slug:str}/versions/{number:str}", guards=[requires_office])
    async def save_draft(
        self,
        slug: FromPath[str],
        number: FromPath[str],
        data: JSONBody[Checklist],
        user: NamedDependency[CurrentUser],
    ) -> VersionInfo:
        """Replace a draft's content. A published version answers 409: it never changes."""
        info, _ = await queries.get_version(slug, _number(slug, number))
        return await queries.save_draft(slug, info.number, _checked(data), by=user.username)

    @post("/{slug:str}/versions/{number:str}/publish", guards=[requires_office], status_code=200)
    async def publish(
        self, slug: FromPath[str], number: FromPath[str], user: NamedDependency[CurrentUser]
    ) -> VersionInfo:
        info, _ = await queries.get_version(slug, _number(slug, number))
        return await queries.publish_version(slug, info.number, by=user.username)

    @post("/{slug:str}/retire", guards=[requires_office], status_code=200)
    async def retire(self, slug: FromPath[str]) -> ChecklistSummary:
        await queries.set_retired(slug, True)
        return next(c for c in await queries.list_checklists() if c.slug == slug)

    @post("/{slug:str}/versions/{number:str}/score", guards=[requires_any_role], status_code=200)
    async def score(
        self,
        slug: FromPath[str],
        number: FromPath[str],
        data: JSONBody[ScoreRequest],
        user: NamedDependency[CurrentUser],
    ) -> AuditScore:
        """Score answers against a version without filing an audit (a dry run)."""
        _, doc = await readable_version(slug, _number(slug, number), user)
        errors = validate_answers(doc, data.answers)
        if errors:
            raise HTTPException(
                status_code=HTTP_422_UNPROCESSABLE_ENTITY,
                detail="Some answers are not valid.",
                extra=[{"key": key, "message": message} for key, message in errors.items()],
            )
        return score_audit(doc, data.answers)
