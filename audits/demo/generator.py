"""The demo organisation: three regions, 24 branches and a year of audits, from a seed.

Pure: no database, no clock. Each audit's answers follow a latent quality in score points,

    quality = base + branch + branch × shift + staff + shopper severity + trend + noise,

mapped onto the checklist's items, so the patterns planted below show in the scores that
``checklists.scoring.score_audit`` gives. Later analytics are tested against them.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from zoneinfo import ZoneInfo

import msgspec

from audits.demo.answers import AnswerModel
from checklists.model import Checklist

PASSWORD = "demo"
"""Every demo user's password."""

BASE_QUALITY = 80.0
NOISE_SD = 4.0
ORG_TREND = 3.0  # points gained by the whole organisation over the period
CALIBRATION_SD = 2.0  # how far a second shopper's view of the same visit strays

EVENING_BRANCH, EVENING_SHIFT, EVENING_EFFECT = "B02", "evening", -15.0
ERRATIC_STAFF, ERRATIC_SD, ERRATIC_EFFECT = "B19-S3", 35.0, -15.0
STRICT_SHOPPER, STRICT_EFFECT = "nikos.k", -10.0
IMPROVING_BRANCH, IMPROVEMENT = "B11", 15.0
QUIET_BRANCH, BUSY_BRANCH = "B09", "B02"
# Fixed, mid-table effects for the branches carrying a pattern, so that chance does not
# blur it (the ceiling of 100 would flatten a gap at a branch that is already excellent).
PLANTED_BRANCH_EFFECT = {EVENING_BRANCH: -2.0, IMPROVING_BRANCH: 0.0}

REGIONS = (
    ("ATT", "Attica", "Europe/Athens"),
    ("NGR", "Northern Greece", "Europe/Athens"),
    ("PL", "Poland", "Europe/Warsaw"),
)
# (region, name, address, audits per year); codes are B01.. in this order.
BRANCHES = (
    ("ATT", "Syntagma", "Ermou 12, 105 63 Athens", 50),
    ("ATT", "Piraeus Port", "Akti Miaouli 45, 185 35 Piraeus", 60),
    ("ATT", "Kifisia", "Kassaveti 20, 145 62 Kifisia", 36),
    ("ATT", "Glyfada", "Metaxa 8, 166 75 Glyfada", 30),
    ("ATT", "Marousi", "Kifisias 101, 151 24 Marousi", 52),
    ("ATT", "Halandri", "Agias Paraskevis 33, 152 34 Halandri", 14),
    ("ATT", "Peristeri", "Thivon 210, 121 35 Peristeri", 40),
    ("ATT", "Athens Airport", "Attiki Odos, 190 19 Spata", 56),
    ("NGR", "Kavala", "Omonoias 60, 654 03 Kavala", 4),
    ("NGR", "Thessaloniki Aristotelous", "Aristotelous 9, 546 24 Thessaloniki", 58),
    ("NGR", "Thessaloniki Kalamaria", "Komninon 18, 551 31 Kalamaria", 56),
    ("NGR", "Larissa", "Kouma 25, 412 22 Larissa", 34),
    ("NGR", "Volos", "Iasonos 70, 382 21 Volos", 24),
    ("NGR", "Katerini", "28is Oktovriou 14, 601 00 Katerini", 8),
    ("NGR", "Serres", "Merarchias 5, 621 22 Serres", 20),
    ("PL", "Warszawa Śródmieście", "ul. Marszałkowska 104, 00-017 Warszawa", 54),
    ("PL", "Warszawa Mokotów", "ul. Puławska 145, 02-715 Warszawa", 44),
    ("PL", "Warszawa Praga", "ul. Targowa 72, 03-734 Warszawa", 38),
    ("PL", "Kraków Rynek", "Rynek Główny 28, 31-010 Kraków", 58),
    ("PL", "Kraków Kazimierz", "ul. Szeroka 6, 31-053 Kraków", 30),
    ("PL", "Łódź Piotrkowska", "ul. Piotrkowska 120, 90-006 Łódź", 46),
    ("PL", "Lublin", "Krakowskie Przedmieście 36, 20-002 Lublin", 22),
    ("PL", "Radom", "ul. Żeromskiego 55, 26-600 Radom", 6),
    ("PL", "Gdańsk Długa", "ul. Długa 45, 80-831 Gdańsk", 50),
)
SHIFTS = (
    ("morning", 7 * 60, 12 * 60),
    ("afternoon", 12 * 60, 17 * 60),
    ("evening", 17 * 60, 22 * 60),
)
SHIFT_WEIGHTS = (0.35, 0.4, 0.25)
EVENING_BRANCH_SHIFT_WEIGHTS = (0.3, 0.3, 0.4)  # enough evenings there to see the gap
MANAGED_BRANCHES = ("B01", "B02", "B03")
# (username, first name, last name, language, regions); the first is the demo shopper login.
SHOPPERS = (
    ("shopper", "Eleni", "Georgiou", "el", ("ATT", "NGR")),
    (STRICT_SHOPPER, "Nikos", "Kalogeropoulos", "en", ("ATT", "NGR", "PL")),
    ("maria.p", "Maria", "Papadaki", "el", ("ATT",)),
    ("giorgos.d", "Giorgos", "Dimitriou", "el", ("ATT", "NGR")),
    ("katerina.v", "Katerina", "Vlachou", "el", ("NGR",)),
    ("dimitris.a", "Dimitris", "Antoniou", "el", ("NGR", "ATT")),
    ("sara.r", "Sara", "Rahimi", "fa", ("ATT", "PL")),
    ("reza.m", "Reza", "Moradi", "fa", ("NGR", "PL")),
    ("anna.w", "Anna", "Wiśniewska", "pl", ("PL",)),
    ("piotr.z", "Piotr", "Zieliński", "pl", ("PL",)),
    ("magda.k", "Magdalena", "Kamińska", "pl", ("PL",)),
    ("tomasz.l", "Tomasz", "Lewandowski", "pl", ("PL",)),
)
STAFF_NAMES = {
    "el": (
        ("Γιάννης", "Μαρία", "Κώστας", "Ελένη", "Νίκος", "Σοφία", "Παναγιώτης", "Δέσποινα"),
        (("Παπαδόπουλος", "Παπαδοπούλου"), ("Νικολάου", "Νικολάου"), ("Οικονόμου", "Οικονόμου")),
        (("Αθανασίου", "Αθανασίου"), ("Μακρής", "Μακρή"), ("Σταυρόπουλος", "Σταυροπούλου")),
    ),
    "pl": (
        ("Jan", "Katarzyna", "Michał", "Agnieszka", "Paweł", "Joanna", "Krzysztof", "Ewa"),
        (("Kowalski", "Kowalska"), ("Nowak", "Nowak"), ("Wójcik", "Wójcik")),
        (("Mazur", "Mazur"), ("Krawczyk", "Krawczyk"), ("Dąbrowski", "Dąbrowska")),
    ),
}


class DemoRegion(msgspec.Struct, frozen=True):
    code: str
    name: str


class DemoBranch(msgspec.Struct, frozen=True):
    """``effect`` is the branch's latent quality offset in score points."""

    code: str
    name: str
    region: str
    timezone: str
    address: str
    visits_per_year: int
    effect: float


class DemoShift(msgspec.Struct, frozen=True):
    name: str
    start_minute: int
    end_minute: int


class DemoStaff(msgspec.Struct, frozen=True):
    """``sd`` is the spread of the member's day-to-day quality (large for the erratic one)."""

    code: str
    branch: str
    name: str
    effect: float
    sd: float
    weight: float


class DemoUser(msgspec.Struct, frozen=True):
    """A login; ``severity`` (score points, negative is strict) matters for shoppers only."""

    username: str
    role: str
    first_name: str
    last_name: str
    language: str | None = None
    branches: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    severity: float = 0.0

    @property
    def email(self) -> str:
        return f"{self.username}@demo.evenly.invalid"


class DemoAudit(msgspec.Struct, frozen=True):
    """One published visit; ``visited_at`` is aware, in the branch's time zone, and
    ``quality`` is the latent quality the answers were drawn from."""

    id: uuid.UUID
    checklist: str
    branch: str
    shift: str
    staff: str
    auditor: str
    channel: str
    visited_at: dt.datetime
    submitted_at: dt.datetime
    answers: dict[str, object]
    comments: dict[str, str]
    quality: float
    calibration_of: uuid.UUID | None = None


class DemoPatterns(msgspec.Struct, frozen=True):
    """What was planted, for the tests of the analytics that should find it."""

    evening_branch: str = EVENING_BRANCH
    evening_shift: str = EVENING_SHIFT
    evening_effect: float = EVENING_EFFECT
    erratic_staff: str = ERRATIC_STAFF
    erratic_sd: float = ERRATIC_SD
    erratic_effect: float = ERRATIC_EFFECT
    strict_shopper: str = STRICT_SHOPPER
    strict_effect: float = STRICT_EFFECT
    improving_branch: str = IMPROVING_BRANCH
    improvement: float = IMPROVEMENT
    quiet_branch: str = QUIET_BRANCH
    busy_branch: str = BUSY_BRANCH


class DemoOrganisation(msgspec.Struct, frozen=True):
    seed: int
    start: dt.date
    days: int
    regions: list[DemoRegion]
    branches: list[DemoBranch]
    shifts: list[DemoShift]
    staff: list[DemoStaff]
    users: list[DemoUser]
    audits: list[DemoAudit]
    patterns: DemoPatterns = msgspec.field(default_factory=DemoPatterns)
    branch_shift: dict[str, float] = msgspec.field(default_factory=dict)
    """The drawn branch × shift effects in points, keyed ``"B01/morning"`` (for tests)."""


def generate_demo(
    checklist: Checklist,
    *,
    seed: int = 7,
    start: dt.date,
    days: int = 365,
    visits_scale: float = 1.0,
    calibration_share: float = 0.0,
) -> DemoOrganisation:
    """The demo organisation with ``days`` of audits of ``checklist`` from ``start``.

    Each branch gets its audits-per-year × days / 365 × ``visits_scale`` audits (at least one).
    A ``calibration_share`` of the visits is scored again by a second shopper of the region
    (``calibration_of`` names the first audit); those are drawn after all the others, so the
    other audits do not change with it. The same arguments give the same organisation, audit
    ids included.
    """
    rng = random.Random(seed)
    branches = _branches(rng)
    staff = [member for branch in branches for member in _staff(rng, branch)]
    users = _users(rng)
    shifts = [DemoShift(name, begin, end) for name, begin, end in SHIFTS]
    model = _Model(rng, branches, staff, users, checklist)
    audits = []
    for branch in branches:
        count = max(1, round(branch.visits_per_year * days / 365 * visits_scale))
        audits += [model.audit(branch, start, days) for _ in range(count)]
    if calibration_share > 0:
        firsts = [a for a in audits if rng.random() < calibration_share]
        audits += [model.calibration(first) for first in firsts]
    audits.sort(key=lambda audit: (audit.visited_at, audit.id))
    return DemoOrganisation(
        seed=seed,
        start=start,
        days=days,
        regions=[DemoRegion(code, name) for code, name, _ in REGIONS],
        branches=branches,
        shifts=shifts,
        staff=staff,
        users=users,
        audits=audits,
        branch_shift={f"{b}/{s}": round(v, 3) for (b, s), v in model.branch_shift.items()},
    )


def _branches(rng: random.Random) -> list[DemoBranch]:
    zones = {code: zone for code, _, zone in REGIONS}
    return [
        DemoBranch(
            code=f"B{n:02d}",
            name=name,
            region=region,
            timezone=zones[region],
            address=address,
            visits_per_year=visits,
            effect=PLANTED_BRANCH_EFFECT.get(f"B{n:02d}", round(rng.gauss(0, 5), 2)),
        )
        for n, (region, name, address, visits) in enumerate(BRANCHES, start=1)
    ]


def _staff(rng: random.Random, branch: DemoBranch) -> list[DemoStaff]:
    firsts, *surname_pools = STAFF_NAMES["pl" if branch.region == "PL" else "el"]
    surnames = [pair for pool in surname_pools for pair in pool]
    members = []
    for n in range(1, rng.randint(5, 7) + 1):
        code = f"{branch.code}-S{n}"
        first_index = rng.randrange(len(firsts))
        surname = rng.choice(surnames)[first_index % 2]  # even-indexed first names are male
        erratic = code == ERRATIC_STAFF
        members.append(
            DemoStaff(
                code=code,
                branch=branch.code,
                name=f"{firsts[first_index]} {surname}",
                effect=ERRATIC_EFFECT if erratic else round(rng.gauss(0, 3), 2),
                sd=ERRATIC_SD if erratic else NOISE_SD,
                weight=3.0 if erratic else round(rng.uniform(0.6, 1.4), 2),
            )
        )
    return members


def _users(rng: random.Random) -> list[DemoUser]:
    users = [
        DemoUser("admin", "admin", "Ada", "Admin", "en"),
        DemoUser("office", "office", "Olga", "Stavrou", "en"),
        DemoUser("manager", "manager", "Petros", "Manolis", "el", branches=MANAGED_BRANCHES),
    ]
    for username, first, last, language, regions in SHOPPERS:
        strict = username == STRICT_SHOPPER
        severity = STRICT_EFFECT if strict else round(rng.uniform(-3, 3), 2)
        users.append(DemoUser(username, "shopper", first, last, language, (), regions, severity))
    return users


class _Model:
    """Draws one audit at a time from the latent quality model."""

    def __init__(
        self,
        rng: random.Random,
        branches: list[DemoBranch],
        staff: list[DemoStaff],
        users: list[DemoUser],
        checklist: Checklist,
    ) -> None:
        self.rng = rng
        self.checklist = checklist
        self.channel = checklist.channel or "in_person"
        self.staff = {b.code: [m for m in staff if m.branch == b.code] for b in branches}
        self.shoppers = {
            code: [u for u in users if u.role == "shopper" and code in u.regions]
            for code, _, _ in REGIONS
        }
        shift_names = [name for name, _, _ in SHIFTS]
        self.branch_shift = {
            (b.code, s): 0.0 if b.code in PLANTED_BRANCH_EFFECT else rng.gauss(0, 2.5)
            for b in branches
            for s in shift_names
        }
        self.answers = AnswerModel(checklist, rng)
        self.severity = {u.username: u.severity for u in users}
        self.region = {b.code: b.region for b in branches}

    def audit(self, branch: DemoBranch, start: dt.date, days: int) -> DemoAudit:
        rng = self.rng
        day = rng.randrange(days)
        weights = EVENING_BRANCH_SHIFT_WEIGHTS if branch.code == EVENING_BRANCH else SHIFT_WEIGHTS
        shift, begin, end = rng.choices(SHIFTS, weights)[0]
        members = self.staff[branch.code]
        member = rng.choices(members, [m.weight for m in members])[0]
        shopper = rng.choice(self.shoppers[branch.region])
        quality = self._quality(branch, shift, member, shopper, day / max(days - 1, 1))
        local = dt.datetime.combine(start + dt.timedelta(days=day), dt.time())
        minute = rng.randrange(begin, end - 10)
        visited = (local + dt.timedelta(minutes=minute)).replace(tzinfo=ZoneInfo(branch.timezone))
        audit_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        answers, comments = self.answers.draw(quality, audit_id, branch.region)
        return DemoAudit(
            id=audit_id,
            checklist=self.checklist.slug,
            branch=branch.code,
            shift=shift,
            staff=member.code,
            auditor=shopper.username,
            channel=self.channel,
            visited_at=visited,
            submitted_at=visited + dt.timedelta(minutes=rng.randrange(20, 240)),
            answers=answers,
            comments=comments,
            quality=round(quality, 2),
        )

    def calibration(self, first: DemoAudit) -> DemoAudit:
        """The same visit scored by another shopper of the region: the same service seen
        through a different severity, with a little disagreement of their own."""
        rng = self.rng
        shopper = rng.choice(
            [u for u in self.shoppers[self.region[first.branch]] if u.username != first.auditor]
        )
        quality = first.quality - self.severity[first.auditor] + shopper.severity
        quality += rng.gauss(0, CALIBRATION_SD)
        audit_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        answers, comments = self.answers.draw(quality, audit_id, self.region[first.branch])
        return msgspec.structs.replace(
            first,
            id=audit_id,
            auditor=shopper.username,
            submitted_at=first.submitted_at + dt.timedelta(minutes=rng.randrange(5, 60)),
            answers=answers,
            comments=comments,
            quality=round(quality, 2),
            calibration_of=first.id,
        )

    def _quality(
        self, branch: DemoBranch, shift: str, member: DemoStaff, shopper: DemoUser, progress: float
    ) -> float:
        quality = BASE_QUALITY + branch.effect + self.branch_shift[branch.code, shift]
        quality += member.effect + shopper.severity + ORG_TREND * (progress - 0.5)
        quality += self.rng.gauss(0, member.sd)
        if branch.code == EVENING_BRANCH and shift == EVENING_SHIFT:
            quality += EVENING_EFFECT
        if branch.code == IMPROVING_BRANCH:
            quality += improvement_at(progress)
        return quality


def improvement_at(progress: float) -> float:
    """The improving branch's gain at ``progress`` (0–1) through the period: a change of
    management around the middle, from −IMPROVEMENT/2 to +IMPROVEMENT/2 by a smooth ramp."""
    ramp = min(1.0, max(0.0, (progress - 0.3) / 0.4))
    return IMPROVEMENT * (ramp * ramp * (3 - 2 * ramp) - 0.5)
