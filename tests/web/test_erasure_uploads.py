"""An erasure and the uploads waiting for their import: a file that names the erased person is
dropped, its import ends saying why (in the reader's language), and it creates no one again,
``create_missing`` or not."""

from __future__ import annotations

import pytest

from audits.tables import Audit, AuditImport, BaseUser, Staff

from ..conftest import run
from ..db.test_import_runs import big_file
from .conftest import form
from .job_fixtures import _app_client, _worker
from .report_helpers import as_user

ROWS = 3000  # over JOB_ABOVE_BYTES: a worker imports it

ERASED_EN = "The file named a person whose personal data has been erased since"
ERASED_EL = "Το αρχείο ανέφερε πρόσωπο του οποίου τα προσωπικά δεδομένα διαγράφηκαν"


def _sam() -> int:
    return run(BaseUser.select(BaseUser.id).where(BaseUser.username == "sam").run())[0]["id"]


def _upload(client, text: str):
    files = {"file": ("audits.csv", text.encode(), "text/csv")}
    response = form(client, "/imports", {"create_missing": "on"}, files=files)
    assert response.status_code == 303, response.text
    return response.headers["location"]


@pytest.mark.parametrize(
    ("url", "confirm"),
    [
        ("/admin/personal-data/users/{sam}/erase", "sam"),
        ("/admin/personal-data/staff/B1/B1-S1/erase", "B1-S1"),
    ],
)
def test_an_upload_naming_an_erased_person_is_dropped_and_recreates_no_one(
    queued_settings, org, db, url, confirm
):
    with _app_client(queued_settings) as client:
        as_user(client, "ada")
        page_url = _upload(client, big_file(ROWS))  # names shopper sam and staff B1-S1
        as_user(client, "root")
        erase = {"reason": "Asked for erasure", "confirm": confirm}
        assert form(client, url.format(sam=_sam()), erase).status_code == 302
    [kept] = run(AuditImport.select(AuditImport.data).run())
    assert bytes(kept["data"]) == b""  # the file is gone before any worker read it

    _worker(db)

    assert run(Audit.count().run()) == 0
    if confirm == "sam":
        assert not run(BaseUser.exists().where(BaseUser.username == "sam").run())
    else:
        assert not run(Staff.exists().where(Staff.code == "B1-S1").run())
    with _app_client(queued_settings) as client:
        as_user(client, "ada")
        page = client.get(page_url).text
        assert ERASED_EN in page and "Nothing was imported" in page
        assert ERASED_EL in client.get(page_url + "?lang=el").text


def test_an_upload_naming_someone_else_is_imported_after_an_erasure(queued_settings, org, db):
    text = big_file(ROWS).replace(",sam,", ",sue,").replace("B1-S1", "")
    with _app_client(queued_settings) as client:
        as_user(client, "ada")
        page_url = _upload(client, text)
        as_user(client, "root")
        erase = {"reason": "Asked for erasure", "confirm": "sam"}
        assert form(client, f"/admin/personal-data/users/{_sam()}/erase", erase).status_code == 302

    _worker(db)

    assert run(Audit.count().run()) == ROWS
    with _app_client(queued_settings) as client:
        as_user(client, "ada")
        assert f"Imported: {ROWS:,} new, 0 already imported." in client.get(page_url).text
