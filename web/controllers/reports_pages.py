"""Report pages, their PDFs and CSV downloads: a visit (its shopper, the branch's manager
once published, head office), a branch (its manager, head office) and head office's."""

from __future__ import annotations

import uuid

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from audits.org.users import CurrentUser
from audits.tables import Role
from reports import report_data
from reports.report_model import Report
from reports.visit import visit_report
from web.auth import requires_login
from web.deps import Page
from web.report_views import csv_response, pdf_response, report_page, translator


async def build_visit(
    audit_id: uuid.UUID, user: CurrentUser, lang: str, *, for_pdf: bool
) -> Report:
    """The visit report as ``user`` may read it (photos inlined for the PDF)."""
    data = await report_data.load_visit(audit_id, user)
    photos = await report_data.photo_uris(data.audit) if for_pdf else {}
    return visit_report(
        data.audit,
        data.doc,
        branch_name=data.branch_name,
        visited_local=data.visited_local,
        lang=lang,
        show_shopper=user.role is not Role.manager,
        photo_uri=(lambda evidence: photos.get(evidence, "")) if for_pdf else None,
        _=translator(lang),
    )


async def _visit(audit_id: uuid.UUID, page: Page, *, for_pdf: bool) -> Report:
    assert page.user is not None
    return await build_visit(audit_id, page.user, page.lang, for_pdf=for_pdf)


class VisitReportController(Controller):
    path = "/reports/visits"
    include_in_schema = False
    guards = [requires_login]

    @get("/{audit_id:uuid}")
    async def visit_page(
        self, page: NamedDependency[Page], audit_id: FromPath[uuid.UUID]
    ) -> Template:
        report = await _visit(audit_id, page, for_pdf=False)
        return report_page(report, page, f"/reports/visits/{audit_id}")

    @get("/{audit_id:uuid}/pdf")
    async def visit_pdf(
        self, page: NamedDependency[Page], audit_id: FromPath[uuid.UUID]
    ) -> Response:
        report = await _visit(audit_id, page, for_pdf=True)
        return await pdf_response(report, f"visit-{audit_id}", translator(page.lang))

    @get("/{audit_id:uuid}/csv/{key:str}")
    async def visit_csv(
        self, page: NamedDependency[Page], audit_id: FromPath[uuid.UUID], key: FromPath[str]
    ) -> Response:
        report = await _visit(audit_id, page, for_pdf=False)
        return csv_response(report, key, f"visit-{audit_id}")
