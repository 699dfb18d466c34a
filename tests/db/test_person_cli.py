"""`evenly person export|erase|erasures` against the real database: a person's data out as
JSON, an erasure that keeps the audits and lands in the trail, clear errors and exit codes."""

import json

from click.testing import CliRunner

from audits.tables import Staff
from web.cli import main

from ..conftest import run
from ..web import audit_fixtures

org = audit_fixtures.org


def _evenly(*args: str):
    return CliRunner().invoke(main, list(args))


def test_export_a_user_as_json(org):
    result = _evenly("person", "export", "--user", "sam")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["account"]["username"] == "sam" and document["audits_filed"] == []


def test_erase_a_staff_member_then_the_trail_lists_it(org):
    result = _evenly("person", "erase", "--staff", "B1/B1-S1", "--reason", "Left", "--yes")
    assert result.exit_code == 0, result.output
    assert "their audits keep their scores" in result.output
    codes = {r["code"] for r in run(Staff.select(Staff.code).run())}
    assert "B1-S1" not in codes and any(c.startswith("ERASED-") for c in codes)
    trail = json.loads(_evenly("person", "erasures", "--json").output)
    assert [(t["kind"], t["reason"], t["by"]) for t in trail] == [("staff", "Left", None)]
    again = _evenly("person", "erase", "--staff", "B1/B1-S1", "--reason", "Left", "--yes")
    assert again.exit_code == 1 and "no staff member" in again.output


def test_bad_targets_say_what_is_wrong(org):
    assert _evenly("person", "export").exit_code == 2  # neither --user nor --staff
    assert _evenly("person", "export", "--staff", "B1").exit_code == 2
    missing = _evenly("person", "export", "--user", "nobody")
    assert missing.exit_code == 1 and "no user 'nobody'" in missing.output
    refused = _evenly("person", "erase", "--user", "root", "--reason", "x", "--yes")
    assert refused.exit_code == 1 and "admin" in refused.output
