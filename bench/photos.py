"""What re-encoding an uploaded photo costs (``audits.fieldwork.photos.clean_photo``, no HTTP).

``python bench/photos.py`` times, median of 5: a full 12 MP phone JPEG (4032×3024, sent with
JavaScript off), the 1600 px JPEG the form's script sends, and the refusal of a 13000×13000
PNG bomb of a few hundred bytes; and prints the process's peak memory.
"""

from __future__ import annotations

import contextlib
import io
import resource
import statistics
import struct
import sys
import time
import warnings
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from audits.fieldwork.photos import PhotoRefused, clean_photo  # noqa: E402


def _phone_photo(width: int, height: int) -> bytes:
    y, x = np.mgrid[0:height, 0:width]
    noise = np.random.default_rng(1).normal(0, 8, (height, width, 3))
    pixels = np.stack([(x / 16) % 256, (y / 12) % 256, ((x + y) / 28) % 256], -1) + noise
    out = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype("uint8")).save(out, "JPEG", quality=90)
    return out.getvalue()


def _bomb(side: int = 13000) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (side * 3 + 1) * 16)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows)


def _median_ms(data: bytes) -> float:
    times = []
    for _ in range(5):
        started = time.perf_counter()
        with contextlib.suppress(PhotoRefused):
            clean_photo(data)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    warnings.simplefilter("ignore", Image.DecompressionBombWarning)
    for label, data in (
        ("12 MP phone JPEG", _phone_photo(4032, 3024)),
        ("1600 px JPEG from the form", _phone_photo(1600, 1200)),
        ("13000x13000 PNG bomb (refused)", _bomb()),
    ):
        print(f"{label:32} {len(data) / 1e6:6.2f} MB  {_median_ms(data):8.1f} ms")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MB (making the test images included)")


if __name__ == "__main__":
    main()
