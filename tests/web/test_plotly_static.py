"""plotly.js comes once from /static, cached for a year; pages embed figures, not the library."""

from web.plotly_static import PLOTLY_JS_URL

from .report_helpers import as_user
from .test_report_period import _history


def test_plotly_js_is_served_from_static_and_cached(client):
    response = client.get(PLOTLY_JS_URL)
    assert response.status_code == 200
    assert "javascript" in response.headers["content-type"]
    assert "max-age=31536000" in response.headers["cache-control"]
    assert b"plotly.js" in response.content[:2000]


def test_nothing_else_of_the_plotly_package_is_served(client):
    assert (
        client.get(PLOTLY_JS_URL.replace("plotly.min.js", "datasets/iris.csv.gz")).status_code
        == 404
    )


def test_report_page_loads_plotly_once_and_nothing_from_elsewhere(client, org):
    _history(client, org, 6)
    as_user(client, "ada")
    page = client.get("/reports/headoffice").text
    assert page.count(PLOTLY_JS_URL) == 1
    assert "cdn" not in page.lower() and "https://" not in page and "http://" not in page
