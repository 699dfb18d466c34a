"""An action opens, and a later visit closes it, when head office publishes an audit. If head
office publishes soon after filing, those times are the shopper's filing habit; a manager reads
them as the branch's local date, head office to the second. People's own steps keep their time."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

from .action_fixtures import NEXT_VISIT, actions_of, as_user, file_and_publish
from .conftest import csrf

ATHENS = ZoneInfo("Europe/Athens")  # B1's clock
TIME_OF_DAY = re.compile(r'<time datetime="\d{4}-\d{2}-\d{2}T\d{2}:\d{2}')  # a moment, not a day


def _local_midnight(moment: dt.datetime) -> str:
    day = moment.astimezone(ATHENS).replace(hour=0, minute=0, second=0, microsecond=0)
    return day.isoformat()


def _published_twice(client, org) -> dict:
    """An action opened by one visit and closed by the next (both published), plus a note."""
    first = file_and_publish(client, org, queue_wait_minutes=12)
    file_and_publish(client, org, visited_at=NEXT_VISIT, queue_wait_minutes=2)
    stored = actions_of(first)["queue_wait_minutes"]
    as_user(client, "max")
    csrf(client)
    note = client.post(f"/api/actions/{stored['id']}/notes", json={"comment": "Extra till."})
    assert note.status_code == 200, note.text
    return stored


def test_manager_reads_action_publication_times_as_the_local_date(client, org):
    stored = _published_twice(client, org)
    as_user(client, "max")
    listed = client.get("/api/actions?branch=B1&state=verified_by_visit").json()
    mine = next(a for a in listed if a["id"] == stored["id"])
    detail = client.get(f"/api/actions/{stored['id']}").json()
    for action in (mine, detail):
        assert action["opened_at"] == _local_midnight(stored["opened_at"])
        assert action["closed_at"] == _local_midnight(stored["closed_at"])
    opened, checked, note = detail["events"]
    assert opened["at"] == _local_midnight(stored["opened_at"])
    assert checked["at"] == _local_midnight(stored["closed_at"])
    assert not note["at"].endswith("T00:00:00+02:00")  # max's own note keeps its time

    page = client.get(f"/actions/{stored['id']}").text
    assert len(TIME_OF_DAY.findall(page)) == 1  # the note's time; the publications' dates only
    assert stored["opened_at"].astimezone(ATHENS).date().isoformat() in page


def test_head_office_reads_action_publication_times_exactly(client, org):
    stored = _published_twice(client, org)
    as_user(client, "ada")
    detail = client.get(f"/api/actions/{stored['id']}").json()
    assert dt.datetime.fromisoformat(detail["opened_at"]) == stored["opened_at"]
    assert dt.datetime.fromisoformat(detail["closed_at"]) == stored["closed_at"]
    page = client.get(f"/actions/{stored['id']}").text
    assert len(TIME_OF_DAY.findall(page)) == 3
