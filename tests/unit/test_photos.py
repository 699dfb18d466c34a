"""audits.fieldwork.photos: every kind of upload comes out as plain pixels in JPEG or PNG, with
nothing of the camera, the owner or the place left in the bytes."""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms, PngImagePlugin

from audits.fieldwork.photos import MAX_PIXELS, PhotoRefused, clean_photo

SECRET = "Jane Q. Shopper, 37.97N 23.72E"


def _saved(image: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def _exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x013B] = SECRET  # Artist
    return exif


def _png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", SECRET)
    info.add_itxt("XML:com.adobe.xmp", f"<x:xmpmeta>{SECRET}</x:xmpmeta>")
    return _saved(Image.new("RGB", (8, 8), "teal"), "PNG", pnginfo=info, exif=_exif())


def _with_icc() -> bytes:
    """A JPEG carrying an ICC profile (as phones' Display P3 photos do)."""
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return _saved(Image.new("RGB", (8, 8), "teal"), "JPEG", icc_profile=srgb)


CASES = {
    "jpeg-exif-comment": (
        _saved(Image.new("RGB", (8, 8)), "JPEG", exif=_exif(), comment=SECRET),
        "image/jpeg",
        "RGB",
    ),
    "webp-exif-xmp": (
        _saved(Image.new("RGB", (8, 8)), "WEBP", exif=_exif(), xmp=SECRET.encode()),
        "image/jpeg",
        "RGB",
    ),
    "png-text-xmp-exif": (_png_with_text(), "image/png", "RGB"),
    "cmyk-jpeg": (_saved(Image.new("CMYK", (8, 8), (0, 80, 80, 0)), "JPEG"), "image/jpeg", "RGB"),
    "grey-jpeg": (_saved(Image.new("L", (8, 8), 90), "JPEG"), "image/jpeg", "L"),
    "palette-png-transparent": (
        _saved(Image.new("P", (8, 8), 0), "PNG", transparency=0),
        "image/png",
        "RGBA",
    ),
    "rgb-png-with-a-transparent-colour": (
        _saved(Image.new("RGB", (8, 8), "teal"), "PNG", transparency=(0, 128, 128)),
        "image/png",
        "RGBA",
    ),
    "opaque-rgba-png": (_saved(Image.new("RGBA", (8, 8), "teal"), "PNG"), "image/png", "RGB"),
    "jpeg-with-icc": (_with_icc(), "image/jpeg", "RGB"),
}


@pytest.mark.parametrize(("data", "content_type", "mode"), CASES.values(), ids=CASES.keys())
def test_clean_photo_keeps_pixels_only(data, content_type, mode):
    photo = clean_photo(data)
    image = Image.open(io.BytesIO(photo.data))
    assert photo.content_type == content_type and image.mode == mode
    assert not image.getexif() and not image.info.keys() & {"exif", "xmp", "icc_profile"}
    assert not any(isinstance(v, str) for v in image.info.values())  # no text chunk, comment
    assert SECRET.encode() not in photo.data and b"Exif" not in photo.data


def test_clean_photo_refuses_more_pixels_than_the_limit_before_decoding():
    side = int(MAX_PIXELS**0.5) + 1
    header_only = _saved(Image.new("1", (side, side)), "PNG")  # 1 bit a pixel: small to make
    with pytest.raises(PhotoRefused) as refused:
        clean_photo(header_only)
    assert refused.value.status == 422


_SEEDS = [
    CASES["jpeg-exif-comment"][0],
    CASES["png-text-xmp-exif"][0],
    CASES["webp-exif-xmp"][0],
    CASES["palette-png-transparent"][0],
]


@settings(max_examples=300, deadline=None)
@given(
    seed=st.sampled_from(_SEEDS),
    edits=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255), st.integers(1, 40)), max_size=6),
)
def test_clean_photo_of_a_mangled_file_is_a_true_photo_or_refused(seed, edits):
    data = bytearray(seed)
    for where, byte, length in edits:
        at = int(where * len(data))
        if byte % 3 == 0:
            del data[at : at + length]
        elif byte % 3 == 1:
            data[at:at] = bytes([byte]) * length
        elif data:
            data[min(at, len(data) - 1)] = byte
    try:
        photo = clean_photo(bytes(data))
    except PhotoRefused as refused:
        assert refused.status in (415, 422)
        return
    image = Image.open(io.BytesIO(photo.data))
    image.load()
    assert {"JPEG": "image/jpeg", "PNG": "image/png"}[image.format] == photo.content_type
