"""Small images made in the tests: a phone's JPEG with its EXIF, a pixel bomb, files that lie."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

OWNER = "Jane Q. Shopper"
CAMERA = "PhoneMaker X200"
GPS_LATITUDE = (37.0, 58.0, 12.34)


def phone_jpeg(width: int = 60, height: int = 20, orientation: int = 6) -> bytes:
    """A JPEG as a phone saves it: EXIF with camera, owner, GPS and an orientation, a comment.
    Its left half is red, its right half blue (so a turn can be seen)."""
    image = Image.new("RGB", (width, height), "blue")
    image.paste("red", (0, 0, width // 2, height))
    exif = Image.Exif()
    exif[0x010F] = CAMERA.split()[0]  # Make
    exif[0x0110] = CAMERA  # Model
    exif[0x013B] = OWNER  # Artist
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: GPS_LATITUDE, 3: "E", 4: GPS_LATITUDE}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=OWNER.encode())
    return out.getvalue()


def image_bytes(fmt: str, size: tuple[int, int] = (40, 30), mode: str = "RGB") -> bytes:
    colour = (255, 136, 0, 128) if mode == "RGBA" else "orange"
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, fmt)
    return out.getvalue()


def png_bomb(width: int = 13000, height: int = 13000) -> bytes:
    """A few hundred bytes of PNG declaring ``width`` × ``height`` pixels (1.3 GB decoded)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width * 3 + 1) * 16)
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image
