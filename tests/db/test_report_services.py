"""The report builders (``reports.services``) say what is wrong in the reports' own errors,
not HTTP ones, and ``evenly report`` prints them; on both databases."""

import uuid

import pytest
from click.testing import CliRunner
from litestar.exceptions import HTTPException

from audits.org.users import CurrentUser
from audits.tables import Role
from reports.errors import ReportForbidden, ReportNotFound
from reports.report_data import Filters
from reports.services.branch import build_branch
from reports.services.headoffice import build_headoffice
from reports.services.visit import build_visit
from web.cli import main

from ..conftest import run

OFFICE = CurrentUser(id=0, username="ada", role=Role.office)
MAX = CurrentUser(id=0, username="max", role=Role.manager, branches=("B1",))


def _english(text: str) -> str:
    return text


def _branch(code: str, user: CurrentUser):
    return run(build_branch(code, Filters(), user, lang="en", _=_english))


def test_unknown_branch_is_report_not_found_not_an_http_error(org):
    with pytest.raises(ReportNotFound, match="No branch 'B9'") as raised:
        _branch("B9", OFFICE)
    assert not isinstance(raised.value, HTTPException)


def test_another_managers_branch_is_report_forbidden(org):
    with pytest.raises(ReportForbidden, match="your own branches only") as raised:
        _branch("B2", MAX)
    assert not isinstance(raised.value, HTTPException)


def test_a_manager_asking_for_an_unknown_branch_learns_nothing_of_it(org):
    """Forbidden, not not-found: a manager cannot probe which branch codes exist."""
    with pytest.raises(ReportForbidden):
        _branch("B9", MAX)


def test_a_manager_gets_their_own_branch_report(org):
    report = _branch("B1", MAX)
    assert ("Branch", "Branch B1 (B1)") in report.facts  # name and code, as every page names it


def test_headoffice_report_builds_without_any_visits(org):
    report = run(build_headoffice(Filters(), OFFICE, lang="en", _=_english))
    assert report.figures() == []


def test_headoffice_report_is_forbidden_to_a_manager(org):
    with pytest.raises(ReportForbidden):
        run(build_headoffice(Filters(), MAX, lang="en", _=_english))


def test_unknown_visit_is_report_not_found(org):
    with pytest.raises(ReportNotFound, match="No audit"):
        run(build_visit(uuid.uuid4(), OFFICE, lang="en", _=_english, for_pdf=False))


def test_cli_report_of_an_unknown_branch_says_so_and_writes_nothing(org, tmp_path):
    output = tmp_path / "b9.pdf"
    result = CliRunner().invoke(main, ["report", "branch", "B9", "-o", str(output)])
    assert result.exit_code == 1
    assert "Error: No branch 'B9'." in result.output
    assert "Traceback" not in result.output
    assert not output.exists()


def test_cli_report_of_an_unknown_visit_says_so_and_writes_nothing(org, tmp_path):
    audit = uuid.uuid4()
    output = tmp_path / "visit.pdf"
    result = CliRunner().invoke(main, ["report", "visit", str(audit), "-o", str(output)])
    assert result.exit_code == 1
    assert f"Error: No audit {audit}" in result.output
    assert not output.exists()
