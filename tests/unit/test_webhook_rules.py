"""The pure rules of webhooks: signatures, the retry schedule, an endpoint's fields, and the
events' words the admin page translates."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import msgspec
import pytest

from audits.webhooks import rules
from audits.webhooks.examples import example_bodies
from audits.webhooks.schemas import EventBody
from web import terms


def test_signature_is_hmac_sha256_of_timestamp_dot_body():
    body = b'{"type":"audit.published"}'
    expected = hmac.new(b"s", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert rules.signature_header("s", 1700000000, body) == f"t=1700000000,v1={expected}"


@pytest.mark.parametrize(
    "secret, body, now, ok",
    [
        ("s", b"{}", 1000, True),
        ("other", b"{}", 1000, False),  # another endpoint's secret
        ("s", b"{} ", 1000, False),  # a changed body
        ("s", b"{}", 1000 + 301, False),  # replayed after the window
        ("s", b"{}", 1000 - 301, False),  # a clock far behind
        ("s", b"{}", 1000 + 300, True),
    ],
)
def test_verify_checks_secret_body_and_window(secret, body, now, ok):
    header = rules.signature_header("s", 1000, b"{}")
    assert rules.verify(secret, header, body, now=now) is ok


@pytest.mark.parametrize("header", ["", "t=x,v1=00", "v1=00", "t=1000", "garbage"])
def test_verify_refuses_malformed_headers(header):
    assert rules.verify("s", header, b"{}", now=1000) is False


def test_retry_delay_doubles_from_30_seconds_up_to_6_hours():
    assert [rules.retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert rules.retry_delay(11) == rules.retry_delay(50) == dt.timedelta(hours=6)
    assert len(rules.schedule()) == rules.MAX_ATTEMPTS - 1
    total = sum(rules.schedule(), dt.timedelta())
    assert dt.timedelta(days=2) < total < dt.timedelta(days=3)  # as docs/webhooks.md says


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://example.org/hook", True),
        ("http://127.0.0.1:8080/x?y=1", True),
        ("", False),
        ("ftp://example.org/", False),
        ("example.org/hook", False),
        ("https://user:pw@example.org/", False),
        ("https://", False),
        ("https://example.org/" + "a" * 2000, False),
        ("http://[::1", False),
    ],
)
def test_url_problem(url, ok):
    assert (rules.url_problem(url) is None) is ok


def test_events_problem_names_unknown_events():
    assert rules.events_problem(["audit.published"]) is None
    assert rules.events_problem([]) == "Choose at least one event."
    assert "audit.deleted" in (rules.events_problem(["audit.deleted"]) or "")


def test_every_event_has_an_example_that_decodes_as_its_type():
    bodies = example_bodies()
    assert [b.__struct_config__.tag for b in bodies] == [*rules.EVENTS, rules.TEST_EVENT]
    for body in bodies:
        text = msgspec.json.encode(body)
        assert msgspec.json.decode(text, type=EventBody) == body


def test_events_carry_no_field_about_a_person():
    people = {"auditor", "shopper", "staff", "staff_code", "username", "reviewer", "reviewed_by"}
    people |= {"name", "comment", "review_comment", "answers", "comments", "staff_description"}
    for body in msgspec.to_builtins(example_bodies()):
        assert set(body["data"]) & people == set(), body["type"]


def test_event_descriptions_are_listed_for_translation():
    assert tuple(rules.EVENTS.values()) == terms.WEBHOOK_EVENTS
