"""Audit pages for readers other than head office: a branch manager's published audits of their
branches (never who the shopper was); a shopper's own audits are at ``/audits``."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from audits.actions.selectors import audit_actions
from audits.fieldwork import selectors as fieldwork_selectors
from audits.tables import Role
from checklists import queries as checklist_queries
from web.auth import requires_login, requires_role
from web.deps import Page
from web.review_view import audit_view


class BranchAuditsController(Controller):
    """Published audits only, for every role let in; the templates show nothing of the shopper,
    their flags or the trail (``fieldwork_selectors`` already withholds them from managers)."""

    path = "/branch-audits"
    include_in_schema = False
    guards = [requires_role(Role.manager, Role.office)]

    @get("/")
    async def list_page(self, page: NamedDependency[Page]) -> Template:
        assert page.user is not None
        audits = await fieldwork_selectors.list_audits(page.user, status="published", limit=200)
        context = {
            "page": page,
            "audits": audits,
            "checklist_titles": await checklist_queries.checklist_titles(),
        }
        return Template("review/branch_list.html", context=context)

    @get("/{audit_id:uuid}")
    async def audit_page(
        self, page: NamedDependency[Page], audit_id: FromPath[uuid.UUID]
    ) -> Template:
        assert page.user is not None
        view = await audit_view(audit_id, page.user, published_only=True)
        context: dict[str, Any] = {"page": page, "view": view, "audit": view.audit}
        context["actions"] = await audit_actions(audit_id, page.user)
        return Template("review/branch_audit.html", context=context)


class MyAuditsController(Controller):
    """The shopper's audits used to live here; old links and bookmarks still arrive."""

    path = "/my-audits"
    include_in_schema = False
    guards = [requires_login]

    @get("/")
    async def list_page(self) -> Redirect:
        return Redirect("/audits", status_code=301)

    @get("/{audit_id:uuid}")
    async def audit_page(self, audit_id: FromPath[uuid.UUID]) -> Redirect:
        return Redirect(f"/audits/{audit_id}", status_code=301)
