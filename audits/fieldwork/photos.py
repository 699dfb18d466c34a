"""Uploaded photos made safe to keep and show: decoded within a pixel limit read from the header,
turned upright, shrunk to a sensible size and re-encoded without any metadata (EXIF with GPS,
camera and owner, XMP, comments, text chunks, ICC profiles). One fact is read first and kept:
when the photo was taken (EXIF DateTimeOriginal), evidence for head office's review. Pure:
bytes in, bytes out."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import struct
import threading
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

MAX_PIXELS = 40_000_000
"""Refused above this, before decoding: a 20 KB PNG may declare 13000×13000 (1.3 GB decoded)."""
MAX_EDGE = 2560
"""Longer photos are shrunk to this edge: more than a report or a screen shows."""
JPEG_QUALITY = 85
SMALL_PNG_PIXELS = 1_000_000
"""A PNG this small (a screenshot, a sign) stays lossless; larger opaque ones become JPEG."""
MAX_PNG_BYTES = 4 * 1024 * 1024
"""A transparent image whose PNG would be bigger is flattened onto white as a JPEG."""
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}

# One photo decoded at a time: a decoded 40 MP image takes ~160 MB, and the lock guards the
# switch below.
_DECODING = threading.Lock()
_DAMAGED = (OSError, SyntaxError, ValueError, EOFError, struct.error, Image.DecompressionBombError)
_SRGB = ImageCms.createProfile("sRGB")
_TOO_MANY_PIXELS = f"The photo has too many pixels (at most {MAX_PIXELS // 1_000_000} megapixels)."


class PhotoRefused(ValueError):
    """Not a photo we keep; ``status`` is the HTTP status that says why (415 or 422)."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class CleanPhoto:
    """A photo as stored: re-encoded bytes and the type they truly are."""

    data: bytes
    content_type: str
    width: int
    height: int
    taken_at: dt.datetime | None = None  # the camera's wall clock, no time zone


def clean_photo(data: bytes) -> CleanPhoto:
    """Decode ``data`` (JPEG, PNG or WebP, whatever it claims) and re-encode it: PNG when it has
    transparency or is small and was a PNG, JPEG otherwise. Blocking: run it in a thread."""
    with _DECODING:
        image = _open(data)
        taken_at = capture_time(image)
        was_png = image.format == "PNG"
        image = _decode(image)
        image = _plain_pixels(image)
        image.thumbnail((MAX_EDGE, MAX_EDGE))
        lossless = image.mode == "RGBA" or (was_png and _pixels(image) <= SMALL_PNG_PIXELS)
        encoded, content_type = _encode(image, lossless)
        return CleanPhoto(encoded, content_type, image.width, image.height, taken_at)


EXIF_IFD = 0x8769
DATE_TIME_ORIGINAL = 0x9003
EXIF_TIME = "%Y:%m:%d %H:%M:%S"
EARLIEST_PHOTO = dt.datetime(2000, 1, 1)


def capture_time(image: Image.Image) -> dt.datetime | None:
    """When the camera says the photo was taken (EXIF DateTimeOriginal), on its own wall clock;
    None when the file does not say, or says nonsense (a camera never set: 0000:00:00)."""
    with contextlib.suppress(*_DAMAGED, TypeError, KeyError, IndexError, AttributeError):
        value = image.getexif().get_ifd(EXIF_IFD).get(DATE_TIME_ORIGINAL)
        if isinstance(value, bytes):
            value = value.decode("ascii", "replace")
        if isinstance(value, str):
            taken = dt.datetime.strptime(value.strip("\x00 ")[:19], EXIF_TIME)
            return taken if EARLIEST_PHOTO <= taken < dt.datetime(2101, 1, 1) else None
    return None


def _open(data: bytes) -> Image.Image:
    """The image with only its header read, refused when its pixel count is too high."""
    try:
        image = Image.open(io.BytesIO(data), formats=list(FORMATS))
    except Image.DecompressionBombError:
        raise PhotoRefused(_TOO_MANY_PIXELS) from None
    except (UnidentifiedImageError, *_DAMAGED):
        raise PhotoRefused("The file is not a JPEG, PNG or WebP photo.", 415) from None
    if _pixels(image) > MAX_PIXELS:
        raise PhotoRefused(_TOO_MANY_PIXELS)
    return image


def _decode(image: Image.Image) -> Image.Image:
    """The pixels, upright. WeasyPrint switches on Pillow's (global) filling-in of truncated
    files when it is imported; a photo cut short in transit is refused here instead. Only
    cleaned photos and our own charts reach WeasyPrint, so the brief switch costs it nothing."""
    fill_in = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        image.draft(None, (MAX_EDGE, MAX_EDGE))  # JPEG: decoded at 1/2, 1/4… when huge
        image.load()
    except _DAMAGED:
        raise PhotoRefused("The photo is damaged or incomplete.") from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = fill_in
    with contextlib.suppress(*_DAMAGED, TypeError, KeyError, IndexError, ZeroDivisionError):
        ImageOps.exif_transpose(image, in_place=True)  # broken EXIF: the pixels as stored
    return image


def _pixels(image: Image.Image) -> int:
    return image.width * image.height


def _plain_pixels(image: Image.Image) -> Image.Image:
    """RGB, L or (when some pixel is see-through) RGBA, in sRGB, with no metadata left."""
    image = _to_srgb(image)
    if image.mode in ("LA", "PA") or "transparency" in image.info:  # tRNS: P, RGB or L
        image = image.convert("RGBA")
    elif image.mode not in ("RGB", "L", "RGBA"):
        image = image.convert("RGB")
    if image.mode == "RGBA" and image.getchannel("A").getextrema()[0] == 255:
        image = image.convert("RGB")
    image.info = {}  # savers fall back to it (a JPEG's comment, a PNG's ICC profile)
    return image


def _to_srgb(image: Image.Image) -> Image.Image:
    """Colours kept when the embedded profile is dropped (a phone's Display P3, a CMYK scan)."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile: the colours as they are
    return converted or image


def _encode(image: Image.Image, lossless: bool) -> tuple[bytes, str]:
    if lossless:
        out = io.BytesIO()
        image.save(out, "PNG")
        if out.tell() <= MAX_PNG_BYTES:
            return out.getvalue(), "image/png"
    if image.mode == "RGBA":
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue(), "image/jpeg"
