"""JSON API for audits: file one (exactly once per id), read what you may, upload photos."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec
from litestar import Controller, Response, get, post, put
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, MultipartBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from audits.boundary.bounds import ItemKey, UuidText
from audits.fieldwork import selectors as fieldwork_selectors
from audits.fieldwork.drafts import MAX_DRAFT_BYTES, load_draft, save_draft
from audits.fieldwork.evidence import MAX_PHOTO_BYTES, PHOTO_TOO_LARGE, read_evidence, save_evidence
from audits.fieldwork.filing import submit_audit
from audits.fieldwork.schemas import AuditCreate, AuditOut, AuditRejected, FieldError
from audits.org.users import CurrentUser
from web.auth import requires_any_role, requires_filer, requires_login
from web.params import QueryLimit, QueryOffset
from web.photo_response import PHOTO_MEDIA_TYPE, photo_response

MAX_AUDIT_BODY = 1_000_000


class EvidenceForm(msgspec.Struct):
    file: UploadFile
    id: UuidText = ""
    item: ItemKey = ""


class EvidenceOut(msgspec.Struct):
    id: uuid.UUID


class AuditApiController(Controller):
    path = "/api"
    tags = ["audits"]
    guards = [requires_login]

    @post("/audits", guards=[requires_filer], request_max_body_size=MAX_AUDIT_BODY)
    async def file_audit(
        self,
        data: JSONBody[AuditCreate],
        user: NamedDependency[CurrentUser],
    ) -> Response[AuditOut]:
        """File an audit (shoppers and admins): 201 with its score, or 200 with the audit this
        id already made."""
        audit, created = await submit_audit(data, user, now=dt.datetime.now(dt.UTC))
        return Response(audit, status_code=HTTP_201_CREATED if created else HTTP_200_OK)

    @get("/audits")
    async def list_audits(
        self,
        user: NamedDependency[CurrentUser],
        status: FromQuery[str | None] = None,
        branch: FromQuery[str | None] = None,
        limit: QueryLimit = 100,
        offset: QueryOffset = 0,
    ) -> list[AuditOut]:
        """The audits the caller may see: a shopper their own, a manager the published audits
        of their branches (without the shopper's name), head office all."""
        return await fieldwork_selectors.list_audits(
            user, status=status, branch=branch, limit=min(limit, 500), offset=offset
        )

    @get("/audits/{audit_id:uuid}")
    async def get_audit(
        self, audit_id: FromPath[uuid.UUID], user: NamedDependency[CurrentUser]
    ) -> AuditOut:
        return await fieldwork_selectors.get_audit(audit_id, user)

    @post(
        "/evidence",
        guards=[requires_any_role],
        request_max_body_size=MAX_PHOTO_BYTES + 64 * 1024,
        status_code=201,
        opt={"too_large": ("file", PHOTO_TOO_LARGE)},
    )
    async def upload_evidence(
        self, data: MultipartBody[EvidenceForm], user: NamedDependency[CurrentUser]
    ) -> EvidenceOut:
        """Upload a photo (JPEG, PNG or WebP); reference its id as the photo item's answer, or
        in a corrective action's step (so every role may upload; an audit takes only its own
        filer's photos). A client-made ``id`` makes a retried upload store nothing new."""
        try:
            evidence_id = uuid.UUID(data.id) if data.id else None
        except ValueError:
            raise AuditRejected([FieldError("id", "Not a UUID.")]) from None
        content = await data.file.read()
        saved = await save_evidence(
            content, data.file.content_type, user, evidence_id=evidence_id, item_key=data.item
        )
        return EvidenceOut(id=saved)

    @put(
        "/drafts/{draft_id:uuid}",
        guards=[requires_filer],
        request_max_body_size=MAX_DRAFT_BYTES,
        status_code=204,
    )
    async def put_draft(
        self,
        draft_id: FromPath[uuid.UUID],
        data: JSONBody[dict[str, Any]],
        user: NamedDependency[CurrentUser],
    ) -> None:
        """Keep a form in progress (the form's fields by name) on the server."""
        await save_draft(draft_id, data, user)

    @get("/drafts/{draft_id:uuid}")
    async def get_draft(
        self, draft_id: FromPath[uuid.UUID], user: NamedDependency[CurrentUser]
    ) -> dict[str, Any]:
        return await load_draft(draft_id, user)

    @get("/evidence/{evidence_id:uuid}", media_type=PHOTO_MEDIA_TYPE)
    async def evidence(
        self, evidence_id: FromPath[uuid.UUID], user: NamedDependency[CurrentUser]
    ) -> Response[bytes]:
        """A photo (re-encoded on upload, so no metadata), to whoever may see its audit."""
        content, content_type = await read_evidence(evidence_id, user)
        return photo_response(content, content_type)
