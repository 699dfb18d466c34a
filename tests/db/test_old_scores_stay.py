"""An audit keeps the score of the version it was filed against, whatever comes later."""

import datetime as dt
import uuid

import msgspec

from audits.tables import Audit, Branch
from checklists import queries
from checklists.model import Checklist
from checklists.scoring import restrict, results_from, score_audit, stored_results

DOC = {
    "slug": "visit",
    "title": {"en": "Visit"},
    "sections": [
        {
            "key": "s",
            "title": {"en": "S"},
            "items": [
                {"key": "greeted", "type": "yes_no", "text": {"en": "Greeted?"}},
                {"key": "helped", "type": "yes_no", "text": {"en": "Helped?"}},
            ],
        },
    ],
}
ANSWERS = {"greeted": True, "helped": False}


async def _file(version_id: int, branch_id: int, doc: Checklist) -> uuid.UUID:
    result = score_audit(doc, ANSWERS)
    audit_id = uuid.uuid4()
    await Audit.insert(
        Audit(
            id=audit_id,
            version=version_id,
            branch=branch_id,
            answers=ANSWERS,
            visited_at=dt.datetime(2026, 5, 1, 10, tzinfo=dt.UTC),
            score=result.score,
            raw_score=result.raw_score,
            results=stored_results(result),
        )
    )
    return audit_id


async def test_new_version_with_new_weights_leaves_old_audit_score_alone(db):
    v1_doc = msgspec.convert(DOC, Checklist)
    v1 = await queries.import_checklist(v1_doc, by="office", publish=True)
    branch = (await Branch.insert(Branch(code="B1", name="One")).returning(Branch.id))[0]["id"]
    audit_id = await _file(v1.id, branch, v1_doc)

    heavier = msgspec.to_builtins(v1_doc)
    heavier["sections"][0]["items"][0]["weight"] = 3.0  # greeted now counts three times
    heavier["sections"][0]["items"].append({"key": "smiled", "type": "yes_no", "text": {"en": "?"}})
    await queries.start_draft("visit", by="office")
    await queries.save_draft("visit", 2, msgspec.convert(heavier, Checklist), by="office")
    v2 = await queries.publish_version("visit", 2, by="office")

    stored = await Audit.select().where(Audit.id == audit_id).first()
    assert stored["score"] == 50.0
    _, filed_against = await queries.get_version_by_id(stored["version"])
    assert score_audit(filed_against, ANSWERS).score == 50.0  # its own version, unchanged
    _, latest = await queries.get_version("visit")
    assert latest.item("greeted").weight == 3.0 and v2.number == 2
    assert score_audit(latest, ANSWERS).score == 75.0  # what v2 would have said


async def test_scores_across_versions_compare_on_shared_items(db):
    v1_doc = msgspec.convert(DOC, Checklist)
    extended = msgspec.to_builtins(v1_doc)
    extended["sections"][0]["items"].append(
        {"key": "smiled", "type": "yes_no", "text": {"en": "?"}}
    )
    v2_doc = msgspec.convert(extended, Checklist)
    shared = ["greeted", "helped"]
    answers_v2 = {**ANSWERS, "smiled": True}
    assert score_audit(v2_doc, answers_v2).score != score_audit(v1_doc, ANSWERS).score
    assert score_audit(restrict(v2_doc, shared), answers_v2).score == (
        score_audit(restrict(v1_doc, shared), ANSWERS).score
    )


async def test_audits_stored_before_results_get_them_scored_against_their_own_version(db):
    """What the migration adding ``audit.results`` runs over the audits already stored."""
    from audits.fieldwork.filing import store_results_of_all

    v1_doc = msgspec.convert(DOC, Checklist)
    v1 = await queries.import_checklist(v1_doc, by="office", publish=True)
    branch = (await Branch.insert(Branch(code="B1", name="One")).returning(Branch.id))[0]["id"]
    audit_id = uuid.uuid4()
    await Audit.insert(
        Audit(
            id=audit_id,
            version=v1.id,
            branch=branch,
            answers=ANSWERS,
            visited_at=dt.datetime(2026, 5, 1, 10, tzinfo=dt.UTC),
            score=50.0,
            raw_score=50.0,
        )
    )  # as filed before the column: results "{}"
    heavier = msgspec.to_builtins(v1_doc)
    heavier["sections"][0]["items"][1]["weight"] = 3.0  # helped (failed) now counts three times
    await queries.start_draft("visit", by="office")
    await queries.save_draft("visit", 2, msgspec.convert(heavier, Checklist), by="office")
    await queries.publish_version("visit", 2, by="office")

    assert await store_results_of_all(batch=1) == 1
    stored = await Audit.select(Audit.results, Audit.score).where(Audit.id == audit_id).first()
    results = results_from(stored["results"])
    assert results == score_audit(v1_doc, ANSWERS) and results.score == 50.0
    assert [f.key for f in results.failed] == ["helped"] and stored["score"] == 50.0
