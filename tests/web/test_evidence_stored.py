"""Photos stored before uploads were re-encoded: the migration's clean-up re-encodes them (no
EXIF reaches a manager) and deletes what was never an image."""

import hashlib
import uuid

import pytest

from audits.fieldwork.evidence import clean_stored_photos
from audits.tables import Evidence

from ..conftest import run
from .audit_fixtures import audit_body
from .photo_files import OWNER, decoded, image_bytes, phone_jpeg, png_bomb
from .report_helpers import as_user, publish


def _store_as_before(evidence_id: str, data: bytes, content_type: str) -> None:
    """The row as the old upload code wrote it: the bytes as sent."""
    run(
        Evidence.update(
            {Evidence.data: data, Evidence.content_type: content_type, Evidence.size: len(data)}
        )
        .where(Evidence.id == evidence_id)
        .run()
    )


def _legacy_row(data: bytes, content_type: str) -> uuid.UUID:
    row = Evidence(
        id=uuid.uuid4(),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
    )
    run(Evidence.insert(row).run())
    return row.id


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_photos_stored_before_are_re_encoded_and_non_images_deleted(client, org):
    as_user(client, "sam")
    photo = {"file": ("p.png", image_bytes("PNG"), "image/png")}
    uploaded = client.post("/api/evidence", files=photo)
    body = audit_body(org)
    body["answers"]["premises_photo"] = photo_id = uploaded.json()["id"]
    assert client.post("/api/audits", json=body).status_code == 201
    publish(body["id"])
    _store_as_before(photo_id, phone_jpeg(60, 20, orientation=6), "image/jpeg")
    _legacy_row(png_bomb(), "image/png")
    _legacy_row(b"\xff\xd8\xff\xe0<html>hi</html>", "image/jpeg")
    untouched_hash = run(Evidence.select(Evidence.sha256).where(Evidence.id == photo_id).run())

    assert run(clean_stored_photos(batch=2)) == (1, 2)

    as_user(client, "max")
    served = client.get(f"/api/evidence/{photo_id}")
    assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
    assert b"Exif" not in served.content and OWNER.encode() not in served.content
    assert decoded(served.content).size == (20, 60)
    remaining = run(Evidence.select(Evidence.id, Evidence.sha256).run())
    assert [str(r["id"]) for r in remaining] == [photo_id]  # the bomb and the HTML are gone
    assert remaining[0]["sha256"] == untouched_hash[0]["sha256"]  # reuse still spotted
