"""A visit's report page, its PDF and CSV downloads (its shopper, the branch's manager once
published, head office); the report is built by ``reports.services.visit``."""

from __future__ import annotations

import uuid

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from reports.report_model import Report
from reports.services.visit import build_visit
from web.auth import requires_login
from web.deps import Page
from web.report_views import csv_response, pdf_response, report_page, translator


async def _visit(audit_id: uuid.UUID, page: Page, *, for_pdf: bool) -> Report:
    assert page.user is not None
    return await build_visit(
        audit_id, page.user, lang=page.lang, _=translator(page.lang), for_pdf=for_pdf
    )


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
