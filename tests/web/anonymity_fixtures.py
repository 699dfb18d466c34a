"""An organisation whose shoppers are easy to tell apart, for the anonymity attack test.

Four shoppers of clearly different planted severities visit three branches; B1 is managed by
``max``. Each shopper also has habits a manager must not see: a time of day, a filing delay,
a visit length, a review flag, a head-office comment naming them, and evidence of presence
(where their phone was, seconds on the form, when their camera took the photo). Answers come
from the demo's answer model, so severity shows in the scores exactly as it would in real data.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import uuid
from zoneinfo import ZoneInfo

import msgspec
from piccolo.apps.user.tables import BaseUser

from audits.demo.answers import AnswerModel
from audits.org.users import create_user
from audits.tables import Audit, Branch, Evidence, Region, Role, Shift, Staff
from checklists import queries
from checklists.model import Checklist, ItemType
from checklists.scoring import score_audit, stored_results

from .audit_fixtures import PASSWORD, default_checklist


class Shopper(msgspec.Struct, frozen=True):
    username: str
    first: str
    last: str
    severity: float  # points added to the visit's quality as this shopper sees it
    minute: int  # past the hour: when this shopper likes to visit
    delay: int  # minutes from the visit to filing
    visit_minutes: int
    flag: str
    phone: tuple[float, float]  # where this shopper's phone says it was
    form_seconds: int


SHOPPERS = (
    Shopper(
        "kalliope.strict", "Kalliope", "Vlachou", -9.0, 7, 25, 12, "unusual_for_shopper",
        (37.971131, 23.726371), 1211,
    ),
    Shopper(
        "jurek.firm", "Jurek", "Nowak", -3.0, 19, 140, 21, "short_visit",
        (37.975393, 23.734819), 2423,
    ),
    Shopper(
        "eleni.kind", "Eleni", "Markou", 3.0, 33, 600, 33, "far_from_branch",
        (38.101717, 23.812929), 3637,
    ),
    Shopper(
        "tomasz.lenient", "Tomasz", "Zielinski", 9.0, 48, 1500, 47, "photo_reused",
        (37.980161, 23.760479), 4841,
    ),
)  # fmt: skip
BRANCHES = (("B1", "Europe/Athens", 0.0), ("B2", "Europe/Warsaw", -4.0), ("B3", "UTC", 3.0))
MANAGED = "B1"
VISITS = {"B1": 24, "B2": 16, "B3": 16}
SHIFTS = (("morning", 7, 12), ("afternoon", 12, 17), ("evening", 17, 22))
START = dt.date(2026, 1, 5)
OFFICE_LAG = dt.timedelta(minutes=7)
"""Head office publishes each audit this soon after it is filed: the time an action opens is
then the shopper's filing time."""


class Planted(msgspec.Struct):
    """Who really filed each of the managed branch's audits, and what identifies them."""

    shopper_of: dict[str, str]  # audit id → username
    secrets: list[str]  # strings that must never reach the manager
    photos: list[str]  # evidence ids in the managed branch's audits
    doc: Checklist


async def seed_organisation(seed: int = 14) -> Planted:
    rng = random.Random(seed)
    doc = default_checklist()
    await queries.import_checklist(doc, by="test", publish=True)
    info, doc = await queries.get_version("service-fundamentals")
    region = (await Region.insert(Region(code="R1", name="Attica")).returning(Region.id))[0]["id"]
    branches, staff = {}, {}
    for code, zone, _ in BRANCHES:
        branches[code] = (
            await Branch.insert(
                Branch(code=code, name=f"Branch {code}", region=region, timezone=zone)
            ).returning(Branch.id)
        )[0]["id"]
        for n in (1, 2):
            row = await Staff.insert(
                Staff(branch=branches[code], code=f"{code}-S{n}", name=f"Staff {n}")
            ).returning(Staff.id)
            staff[code, n] = row[0]["id"]
    shifts = {}
    for name, begin, end in SHIFTS:
        row = await Shift.insert(
            Shift(name=name, start_minute=begin * 60, end_minute=end * 60)
        ).returning(Shift.id)
        shifts[name] = row[0]["id"]
    users = {}
    for s in SHOPPERS:
        user = await create_user(s.username, PASSWORD, Role.shopper)
        await BaseUser.update(
            {
                BaseUser.first_name: s.first,
                BaseUser.last_name: s.last,
                BaseUser.email: f"{s.username}@shoppers.example",
            }
        ).where(BaseUser.id == user.id)
        users[s.username] = user.id
    await create_user("max", PASSWORD, Role.manager, branches=(MANAGED,))
    await create_user("ada", PASSWORD, Role.office)
    answers_model = AnswerModel(doc, rng)
    planted = Planted({}, _secrets(users), [], doc)
    rows = []
    for code, zone, effect in BRANCHES:
        for i in range(VISITS[code]):
            shopper = SHOPPERS[rng.randrange(len(SHOPPERS))]
            shift, begin, end = SHIFTS[rng.randrange(len(SHIFTS))]
            hour = rng.randrange(begin, end)
            day = START + dt.timedelta(days=3 * i + rng.randrange(3))
            visited = dt.datetime.combine(day, dt.time(hour, shopper.minute), ZoneInfo(zone))
            audit_id = uuid.UUID(int=rng.getrandbits(128), version=4)
            quality = 78 + effect + shopper.severity + rng.gauss(0, 4)
            answers, comments = answers_model.draw(quality, audit_id, "GR")
            if code == MANAGED:
                planted.shopper_of[str(audit_id)] = shopper.username
                if i % 2 == 0:
                    taken = visited.replace(tzinfo=None) + dt.timedelta(minutes=shopper.minute)
                    photo = await _photo(audit_id, users[shopper.username], rng, taken)
                    answers = _with_photo(doc, answers, photo)
                    planted.photos.append(photo)
            scored = score_audit(doc, answers)
            rows.append(
                Audit(
                    id=audit_id,
                    version=info.id,
                    branch=branches[code],
                    shift=shifts[shift],
                    staff=staff[code, 1 + rng.randrange(2)],
                    auditor=users[shopper.username],
                    channel="in_person",
                    visited_at=visited,
                    submitted_at=visited + dt.timedelta(minutes=shopper.delay),
                    visit_minutes=shopper.visit_minutes,
                    # B1's audits wait for head office, who publishes them through the app
                    status="submitted" if code == MANAGED else "published",
                    answers=answers,
                    comments=comments,
                    score=scored.score,
                    raw_score=scored.raw_score,
                    critical_fail=scored.critical_fail,
                    section_scores={s.key: s.score for s in scored.sections},
                    dimension_scores={d.value: v for d, v in scored.dimensions.items()},
                    results=stored_results(scored),
                    flags=[shopper.flag],
                    presence=_presence(shopper, doc),
                    review_comment=f"Checked with {shopper.first} on the phone.",
                )
            )
    await Audit.insert(*rows)
    return planted


def _presence(shopper: Shopper, doc: Checklist) -> dict:
    """Evidence of presence as filing stores it, in this shopper's habits."""
    lat, lon = shopper.phone
    fix = {"latitude": lat, "longitude": lon, "accuracy": 10 + shopper.minute}
    sections = [s.key for s in doc.sections]
    return {
        "opened": fix,
        "sent": fix,
        "form_seconds": shopper.form_seconds,
        "section_seconds": {key: shopper.form_seconds // len(sections) for key in sections},
        "opened_distance_m": 100.0 * shopper.minute,
        "sent_distance_m": 100.0 * shopper.minute + 1,
    }


def _secrets(users: dict[str, int]) -> list[str]:
    found = []
    for s in SHOPPERS:
        found += [s.username, s.first, s.last, f"{s.username}@shoppers.example"]
        found += [f"{s.phone[0]}", f"{s.phone[1]}"]
    return found


async def _photo(audit_id: uuid.UUID, uploader: int, rng: random.Random, taken: dt.datetime) -> str:
    import hashlib

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (rng.randrange(256), 90, 120)).save(out, "PNG")
    data = out.getvalue()
    photo = uuid.UUID(int=rng.getrandbits(128), version=4)
    await Evidence.insert(
        Evidence(
            id=photo,
            audit_id=audit_id,
            uploaded_by=uploader,
            content_type="image/png",
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            data=data,
            taken_at=taken,
        )
    )
    return str(photo)


def _with_photo(doc: Checklist, answers: dict, photo: str) -> dict:
    item = next(i for i in doc.items() if i.type is ItemType.photo)
    return {**answers, item.key: photo}
