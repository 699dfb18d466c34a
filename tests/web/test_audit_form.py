"""The audit form without JavaScript: a plain HTML POST files, scores and shows the result."""

import json

from audits.tables import Audit
from checklists.model import ItemType
from checklists.scoring import applicable_items
from web.audit_form import answer_from_field, field_values, form_rules

from ..conftest import run
from .audit_fixtures import perfect_answers
from .conftest import form, login


def _fields(doc, **changes) -> dict:
    page_values = {
        "branch": "B1",
        "checklist": "service-fundamentals",
        "visit": "",
        "visited_at": "2026-03-10T18:30",
        "visit_minutes": "12",
        "channel": "in_person",
        "staff": "B1-S1",
        "staff_description": "",
    }
    for key, value in perfect_answers(doc).items():
        page_values[f"answers.{key}"] = {True: "yes", False: "no"}.get(value, str(value))
    page_values.update(changes)
    return page_values


def _new_form_id(client) -> str:
    page = client.get("/audits/new?branch=B1&checklist=service-fundamentals")
    assert page.status_code == 200, page.text[-1500:]
    return page.text.split('name="id" value="')[1].split('"')[0]


def test_form_post_files_the_audit_and_shows_its_score(client, org):
    login(client, "sam")
    audit_id = _new_form_id(client)
    response = form(client, "/audits", _fields(org, id=audit_id))
    assert response.status_code == 302 and response.headers["location"] == f"/audits/{audit_id}"
    result = client.get(f"/audits/{audit_id}")
    assert 'id="score">100' in result.text.replace("\n", "")


def test_form_posted_twice_makes_one_audit(client, org):
    login(client, "sam")
    audit_id = _new_form_id(client)
    form(client, "/audits", _fields(org, id=audit_id))
    form(client, "/audits", _fields(org, id=audit_id))
    assert run(Audit.count().run()) == 1


def test_form_error_marks_the_field_and_keeps_every_answer(client, org):
    login(client, "sam")
    audit_id = _new_form_id(client)
    fields = _fields(
        org,
        id=audit_id,
        **{
            "answers.queue_wait_minutes": "a while",
            "comments.entrance_clean_tidy": "Took a moment",
        },
    )
    response = form(client, "/audits", fields)
    assert response.status_code == 422
    assert "field-error" in response.text and "a while" in response.text
    assert "Took a moment" in response.text
    assert 'value="yes" checked' in response.text
    assert run(Audit.count().run()) == 0


def test_failed_items_listed_on_the_result(client, org):
    login(client, "sam")
    audit_id = _new_form_id(client)
    form(client, "/audits", _fields(org, id=audit_id, **{"answers.queue_wait_minutes": "9"}))
    result = client.get(f"/audits/{audit_id}")
    assert "9 min" in result.text


def test_form_pages_are_for_shoppers(client, org):
    login(client, "max")
    assert client.get("/audits/new?branch=B1&checklist=service-fundamentals").status_code == 403
    assert form(client, "/audits", _fields(org, id="x")).status_code == 403


def test_service_worker_is_served_from_the_root(client):
    response = client.get("/sw.js")
    assert response.status_code == 200 and "javascript" in response.headers["content-type"]


def test_planned_visit_links_to_its_form_and_filing_marks_it_done(client, org):
    import datetime as dt

    from audits.tables import Branch, Visit
    from checklists.tables import ChecklistTemplate

    async def plan() -> int:
        from piccolo.apps.user.tables import BaseUser

        branch = await Branch.select(Branch.id).where(Branch.code == "B1").first()
        checklist = await ChecklistTemplate.select(ChecklistTemplate.id).first()
        sam = await BaseUser.select(BaseUser.id).where(BaseUser.username == "sam").first()
        today = dt.date.today()
        rows = await Visit.insert(
            Visit(
                branch=branch["id"],
                checklist=checklist["id"],
                window_start=today,
                window_end=today + dt.timedelta(days=3),
                shopper=sam["id"],
            )
        ).returning(Visit.id)
        return rows[0]["id"]

    visit_id = run(plan())
    login(client, "sam")
    mine = client.get("/visits/mine")
    assert f"visit={visit_id}" in mine.text
    page = client.get(f"/audits/new?branch=B1&checklist=service-fundamentals&visit={visit_id}")
    audit_id = page.text.split('name="id" value="')[1].split('"')[0]
    now = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=2)))
    fields = _fields(
        org, id=audit_id, visit=str(visit_id), visited_at=now.strftime("%Y-%m-%dT%H:%M")
    )
    assert form(client, "/audits", fields).status_code == 302
    status = run(Visit.select(Visit.status).where(Visit.id == visit_id).first().run())
    assert status["status"] == "done"


def test_form_page_carries_the_checklists_rules_for_its_script(client, org):
    """The script's rules are data in the page (a JSON block, not an inline script), made
    from the checklist by the Python that reads the form without JavaScript."""
    login(client, "sam")
    page = client.get("/audits/new?branch=B1&checklist=service-fundamentals").text
    block = page.split('<script type="application/json" id="evenly-form-rules">')[1]
    rules = json.loads(block.split("</script>")[0])
    assert [r["key"] for r in rules["items"]] == [i.key for i in org.items()]
    assert "data-condition" not in page and "data-type" not in page
    for rule in rules["items"]:
        item = org.item(rule["key"])
        for field, answer in rule.get("answers", {}).items():
            assert answer == answer_from_field(item, field)
            assert type(answer) is type(answer_from_field(item, field))
        assert rule.get("decimal", False) == (item.type is ItemType.number)
        if item.condition is not None:
            assert rule["when"] == {"item": item.condition.item, "in": item.condition.in_}


def _js_equal(a, b) -> bool:
    """JavaScript's ``===`` over JSON values: numbers by value, but never a boolean for one."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and a == b


def test_the_scripts_condition_rule_agrees_with_scoring_on_every_offered_answer(org):
    """The script shows an item when its source's answer (as ``answers`` maps it) is one of
    ``in``; scoring's ``applicable_items`` must say the same for every value the form offers."""
    rules = {r["key"]: r for r in form_rules(org)["items"]}
    gated = [i for i in org.items() if i.condition is not None]
    assert gated
    for item in gated:
        source = org.item(item.condition.item)
        for field in field_values(source) or []:
            answer = rules[source.key]["answers"][field]
            shows = any(_js_equal(answer, v) for v in rules[item.key]["when"]["in"])
            answers = {source.key: answer}
            source_shown = source.key in applicable_items(org, answers)
            assert (shows and source_shown) == (item.key in applicable_items(org, answers)), (
                item.key,
                field,
            )
