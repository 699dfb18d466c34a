"""A client-made photo id must be random: any other UUID tells the branch's managers when, or
on which phone, the photo was taken."""

import uuid

import pytest

from audits.tables import Evidence

from ..conftest import run
from .report_helpers import as_user, png_bytes


def _with_version(version: int) -> uuid.UUID:
    """A UUID of ``version`` (v6 and v7 are not in this Python's ``uuid``: set the bits)."""
    value = uuid.uuid4().int & ~(0xF << 76) | (version << 76)
    return uuid.UUID(int=value)


TIMED = {
    "v1 (time and MAC)": uuid.uuid1(),
    "v6 (time)": _with_version(6),
    "v7 (unix time)": _with_version(7),
    "v3 (a name's hash)": uuid.uuid3(uuid.NAMESPACE_DNS, "phone.example"),
}


def _upload(client, photo_id: uuid.UUID):
    files = {"file": ("p.png", png_bytes(), "image/png")}
    return client.post("/api/evidence", files=files, data={"id": str(photo_id)})


@pytest.mark.parametrize("photo_id", TIMED.values(), ids=TIMED)
def test_evidence_upload_with_a_non_random_id_is_refused_and_nothing_stored(client, org, photo_id):
    as_user(client, "sam")
    response = _upload(client, photo_id)
    assert response.status_code == 422, response.text
    assert "id" in response.text and "version 4" in response.text
    assert run(Evidence.count().run()) == 0


def test_evidence_upload_with_a_random_id_is_stored_under_it(client, org):
    photo_id = uuid.uuid4()
    as_user(client, "sam")
    response = _upload(client, photo_id)
    assert response.status_code == 201, response.text
    assert response.json()["id"] == str(photo_id)
    assert run(Evidence.count().where(Evidence.id == photo_id).run()) == 1
