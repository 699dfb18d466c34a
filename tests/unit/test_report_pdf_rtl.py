"""A Persian report on paper: the footer "صفحهٔ ۳ از ۱۲" in Persian digits, the cover's labels
beside their values (right to left), numbers whole with their signs. Charts are stand-in
images: the layout is what is tested."""

import re
import subprocess

import pytest

from reports.headoffice_report import headoffice_report
from reports.pdf import html_to_pdf, print_html
from web.i18n import gettext_for

from ..web.report_helpers import pdf_text
from .report_demo import Demo

pytestmark = pytest.mark.slow
PIXEL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwAD"
    "hgGAWjR9awAAAABJRU5ErkJggg=="
)


@pytest.fixture(scope="module")
def persian_pdf() -> bytes:
    demo, _ = Demo(), gettext_for("fa")
    report = headoffice_report(
        demo.rows, demo.analysis, period="۱۴۰۵", sections=demo.sections("fa"), lang="fa", _=_
    )
    return html_to_pdf(print_html(report, {f.key: PIXEL for f in report.figures()}, _))


def _words(pdf: bytes, page: int) -> list[tuple[float, str]]:
    xml = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-bbox", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [(float(x), w) for x, w in re.findall(r'xMin="([\d.]+)".*?>([^<]+)</word>', xml)]


def test_persian_pdf_footer_says_page_n_of_m_in_persian_digits(persian_pdf):
    text = pdf_text(persian_pdf).translate(dict.fromkeys(map(ord, "\u202a\u202b\u202c")))
    assert re.search(r"صفحه\S*\s*۲\s*از\s*[۰-۹]+", text), text[-300:]
    assert not re.search(r"\b\d+ / \d+\b", text)


def test_persian_cover_puts_each_value_beside_its_label(persian_pdf):
    words = _words(persian_pdf, 1)
    visits = next(x for x, w in words if w == "۸۹۰")  # the value of "بازدیدها" (visits)
    label = next(x for x, w in words if "اهدیدزاب" in w)  # pdftotext's bbox words are visual
    assert label > visits, "right to left: the label on the right, its value to its left"
    assert label - visits < 60, f"label and value {label - visits:.0f} pt apart"


def test_persian_pdf_keeps_each_minus_sign_before_its_number(persian_pdf):
    text = pdf_text(persian_pdf).translate(dict.fromkeys(map(ord, "\u202a\u202b\u202c")))
    assert "−" in text
    assert not re.search(r"[۰-۹]−(?![۰-۹])|−\s", text)
