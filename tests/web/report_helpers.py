"""Helpers of the report tests: file audits as a shopper, publish them, read PDFs back."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import tempfile
from pathlib import Path

from audits.tables import Audit

from ..conftest import run
from .audit_fixtures import audit_body
from .conftest import login

ROLES = {"anonymous": None, "shopper": "sam", "manager": "max", "office": "ada", "admin": "root"}


def as_user(client, user: str | None) -> None:
    client.cookies.clear()
    if user:
        login(client, user)


def file_audit(client, doc, user: str = "sam", **overrides) -> str:
    as_user(client, user)
    response = client.post("/api/audits", json=audit_body(doc, **overrides))
    assert response.status_code == 201, response.text
    client.cookies.clear()
    return response.json()["id"]


def publish(audit_id: str) -> None:
    run(Audit.update({Audit.status: "published"}).where(Audit.id == audit_id).run())


def publish_visits(client, doc, n: int, first: int = 0) -> None:
    """Visits ``first`` to ``first + n - 1`` filed and published, over B1 and B2, two shoppers,
    morning and evening, queue waits that vary."""
    start = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    for i in range(first, first + n):
        body = audit_body(
            doc,
            branch="B1" if i % 2 else "B2",
            staff="B1-S1" if i % 2 else "B2-S1",
            visited_at=(start + dt.timedelta(days=3 * i, hours=8 * (i % 3 == 0))).isoformat(),
        )
        body["answers"]["queue_wait_minutes"] = 2 + i % 7
        as_user(client, "sam" if i % 3 else "sue")
        response = client.post("/api/audits", json=body)
        assert response.status_code == 201, response.text
        publish(body["id"])
    client.cookies.clear()


def png_bytes(colour: str = "red") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "PNG")
    return out.getvalue()


def pdf_text(pdf: bytes) -> str:
    """pdftotext's reading of a PDF (layout kept, so table rows stay on one line)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        return subprocess.run(
            ["pdftotext", "-layout", file.name, "-"], capture_output=True, text=True, check=True
        ).stdout


def pdf_pages(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        info = subprocess.run(["pdfinfo", file.name], capture_output=True, text=True, check=True)
    line = next(x for x in info.stdout.splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def pdf_images(pdf: bytes) -> int:
    """How many images the PDF embeds (pdfimages -list), e.g. charts exported as PNG."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        out = subprocess.run(["pdfimages", "-list", file.name], capture_output=True, text=True)
    rows = [line.split() for line in out.stdout.splitlines()[2:]]
    return sum(1 for row in rows if len(row) > 2 and row[2] == "image")  # not their alpha masks


def pdf_page_png(pdf: bytes, page: int, out: Path) -> Path:
    """One page as a PNG (pdftoppm), to look at."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        stem = out.with_suffix("")
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                file.name,
                str(stem),
            ],
            check=True,
        )
    return stem.with_suffix(".png")
