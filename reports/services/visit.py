"""One audit's visit report, for its shopper, the branch's manager once published, and head
office."""

from __future__ import annotations

import uuid

from audits.fieldwork.schemas import AuditNotFound
from audits.org.organisation import shift_names
from audits.org.users import CurrentUser
from audits.tables import Role
from reports import report_data
from reports.errors import ReportNotFound
from reports.report_model import Report, Translate
from reports.visit import visit_report


async def build_visit(
    audit_id: uuid.UUID, user: CurrentUser, *, lang: str, _: Translate, for_pdf: bool
) -> Report:
    """The visit report as ``user`` may read it (photos inlined for the PDF).
    ``ReportNotFound`` when there is no such audit or none ``user`` may see: the two are
    told apart for nobody."""
    try:
        data = await report_data.load_visit(audit_id, user, lang)
    except AuditNotFound as error:
        raise ReportNotFound(str(error)) from error
    photos = await report_data.photo_uris(data.audit) if for_pdf else {}
    return visit_report(
        data.audit,
        data.doc,
        branch_name=data.branch_name,
        visited_local=data.visited_local,
        lang=lang,
        show_shopper=user.role is not Role.manager,
        photo_uri=(lambda evidence: photos.get(evidence, "")) if for_pdf else None,
        shift_names=await shift_names(lang, _),
        _=_,
    )
