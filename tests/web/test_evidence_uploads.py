"""Photos are re-encoded on upload: turned upright, stripped of EXIF and every other metadata,
stored and served as what they truly are; bombs, lies and damaged files are refused with the
field named and nothing stored. What a manager receives carries nothing of the shopper's phone."""

import time

import pytest

from audits.fieldwork.evidence import MAX_PHOTO_BYTES
from audits.fieldwork.photos import MAX_EDGE
from audits.tables import ActionEvent, Audit, Evidence

from ..conftest import run
from .action_fixtures import actions_of, file_and_publish
from .audit_fixtures import audit_body
from .conftest import csrf
from .photo_files import CAMERA, OWNER, decoded, image_bytes, phone_jpeg, png_bomb
from .report_helpers import as_user, pdf_images, pdf_text, publish
from .test_audit_form import _fields as _form_fields

FORMAT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}


def _upload(client, data: bytes, claimed: str = "image/jpeg", name: str = "p.jpg"):
    return client.post("/api/evidence", files={"file": (name, data, claimed)})


def _published_audit_with(client, org, photo: bytes) -> tuple[str, str]:
    """sam uploads ``photo`` and files an audit with it; head office publishes it."""
    as_user(client, "sam")
    uploaded = _upload(client, photo)
    assert uploaded.status_code == 201, uploaded.text
    body = audit_body(org)
    body["answers"]["premises_photo"] = uploaded.json()["id"]
    assert client.post("/api/audits", json=body).status_code == 201
    publish(body["id"])
    return body["id"], uploaded.json()["id"]


def _assert_no_metadata(served: bytes) -> None:
    image = decoded(served)
    assert not image.getexif() and not image.info.keys() & {"exif", "xmp", "icc_profile"}
    assert "comment" not in image.info
    for trace in (b"Exif", OWNER.encode(), CAMERA.encode(), b"http://ns.adobe.com/xap"):
        assert trace not in served


def test_phone_photo_reaches_the_manager_upright_and_without_exif(client, org):
    original = phone_jpeg(60, 20, orientation=6)
    assert OWNER.encode() in original and b"Exif" in original
    _, photo_id = _published_audit_with(client, org, original)
    as_user(client, "max")
    served = client.get(f"/api/evidence/{photo_id}")
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["x-content-type-options"] == "nosniff"
    _assert_no_metadata(served.content)
    image = decoded(served.content).convert("RGB")
    assert image.size == (20, 60)  # orientation 6: turned a quarter clockwise
    top, bottom = image.getpixel((10, 5)), image.getpixel((10, 55))
    assert top[0] > 200 > top[2] and bottom[2] > 200 > bottom[0]  # the left (red) is now on top


def test_pixel_bomb_is_refused_fast_with_the_field_named_and_nothing_stored(client, org):
    bomb = png_bomb(13000, 13000)
    assert len(bomb) < 20_000
    as_user(client, "sam")
    started = time.perf_counter()
    with pytest.warns(Warning):  # Pillow warns of a bomb when it reads the header; we refuse
        response = _upload(client, bomb, "image/png", "bomb.png")
    assert time.perf_counter() - started < 2
    assert response.status_code == 422
    assert response.json()["errors"][0]["key"] == "file"
    assert "megapixels" in response.json()["errors"][0]["message"]
    assert run(Evidence.count().run()) == 0


@pytest.mark.parametrize(
    ("data", "claimed", "status"),
    [
        (b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 32, "image/webp", 415),  # RIFF, not WebP
        (b"\xff\xd8\xff\xe0<html><script>alert(1)</script></html>", "image/jpeg", 415),
        (image_bytes("GIF"), "image/jpeg", 415),  # an image, of a type we do not keep
        (image_bytes("PNG"), "text/html", 415),  # a true PNG, claimed as a page
        (image_bytes("JPEG", (400, 300))[:1600], "image/jpeg", 422),  # cut short
    ],
    ids=["riff-not-webp", "jpeg-magic-then-html", "gif", "claims-html", "truncated-jpeg"],
)
def test_file_that_is_not_a_photo_is_refused_naming_the_field(client, org, data, claimed, status):
    as_user(client, "sam")
    response = _upload(client, data, claimed)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    assert [e["key"] for e in response.json()["errors"]] == ["file"]
    assert run(Evidence.count().run()) == 0


@pytest.mark.parametrize("size", [MAX_PHOTO_BYTES + 1, 9 * 1024 * 1024], ids=["file", "body"])
def test_photo_over_the_byte_limit_is_413_naming_the_field(client, org, size):
    as_user(client, "sam")
    response = _upload(client, b"\xff\xd8\xff" + b"\x00" * size)
    assert response.status_code == 413
    assert response.json()["errors"] == [{"key": "file", "message": "A photo may be at most 8 MB."}]
    assert run(Evidence.count().run()) == 0


def test_form_without_javascript_shows_a_refused_photo_beside_its_item(client, org):
    as_user(client, "sam")
    page = client.get("/audits/new?branch=B1&checklist=service-fundamentals")
    audit_id = page.text.split('name="id" value="')[1].split('"')[0]
    fields = {**_form_fields(org), "id": audit_id, "_csrf_token": client.cookies["csrftoken"]}
    files = {"photo.premises_photo": ("bomb.png", png_bomb(), "image/png")}
    with pytest.warns(Warning):
        response = client.post("/audits", data=fields, files=files, follow_redirects=False)
    assert response.status_code == 422
    item = response.text.split('id="item-premises_photo"')[1].split('<div class="field')[0]
    assert "too many pixels" in item and 'name="answers.queue_wait_minutes"' in response.text
    assert run(Evidence.count().run()) == 0 and run(Audit.count().run()) == 0


def test_action_page_shows_a_refused_photo_and_records_nothing(client, org):
    audit_id = file_and_publish(client, org, acknowledged_promptly=False)
    action_id = actions_of(audit_id)["acknowledged_promptly"]["id"]
    as_user(client, "max")
    data = {"step": "done", "comment": "Fixed the door.", "_csrf_token": csrf(client)}
    html = b"\xff\xd8\xff\xe0<html>hi</html>"
    files = {"photo": ("fix.jpg", html, "image/jpeg")}
    response = client.post(f"/actions/{action_id}/step", data=data, files=files)
    assert response.status_code == 415
    assert "not a JPEG, PNG or WebP photo" in response.text and "Fixed the door." in response.text
    assert run(ActionEvent.count().where(ActionEvent.action == action_id).run()) == 1
    assert run(Evidence.count().run()) == 0


@pytest.mark.parametrize(
    ("fmt", "size", "mode", "claimed", "served_format"),
    [
        ("PNG", (40, 30), "RGB", "image/png", "PNG"),  # small: stays lossless
        ("PNG", (40, 30), "RGBA", "image/png", "PNG"),  # transparent: stays PNG with alpha
        ("PNG", (1200, 1000), "RGB", "image/png", "JPEG"),  # a big opaque PNG: a photo
        ("WEBP", (40, 30), "RGB", "image/webp", "JPEG"),
        ("PNG", (40, 30), "RGB", "image/jpeg", "PNG"),  # the bytes decide, not the claim
        ("JPEG", (3000, 200), "RGB", "image/jpeg", "JPEG"),  # shrunk to the longest edge
    ],
)
def test_served_bytes_are_the_type_they_are_served_as(
    client, org, fmt, size, mode, claimed, served_format
):
    as_user(client, "sam")
    uploaded = _upload(client, image_bytes(fmt, size, mode), claimed)
    assert uploaded.status_code == 201, uploaded.text
    served = client.get(f"/api/evidence/{uploaded.json()['id']}")
    image = decoded(served.content)
    assert image.format == served_format
    assert served.headers["content-type"] == FORMAT_TYPES[served_format]
    assert max(image.size) == min(max(size), MAX_EDGE)
    assert ("A" in image.getbands()) == (mode == "RGBA")
    stored = run(Evidence.select(Evidence.content_type, Evidence.size).first().run())
    assert stored == {"content_type": FORMAT_TYPES[served_format], "size": len(served.content)}


def test_the_same_photo_in_another_audit_is_still_flagged(client, org):
    photo = phone_jpeg()
    first, _ = _published_audit_with(client, org, photo)
    second, _ = _published_audit_with(client, org, photo)
    as_user(client, "ada")
    assert "photo_reused" not in client.get(f"/api/audits/{first}").json()["flags"]
    assert "photo_reused" in client.get(f"/api/audits/{second}").json()["flags"]


def test_a_different_photo_is_not_flagged_as_reused(client, org):
    _published_audit_with(client, org, phone_jpeg(60, 20))
    second, _ = _published_audit_with(client, org, phone_jpeg(60, 22))
    as_user(client, "ada")
    assert "photo_reused" not in client.get(f"/api/audits/{second}").json()["flags"]


def test_visit_pdf_with_a_phone_photo_renders_it(client, org):
    audit_id, _ = _published_audit_with(client, org, phone_jpeg(600, 200))
    as_user(client, "max")
    started = time.perf_counter()
    response = client.get(f"/reports/visits/{audit_id}/pdf")
    assert response.status_code == 200 and time.perf_counter() - started < 30
    assert "Visit report" in pdf_text(response.content)
    assert pdf_images(response.content) >= 1
