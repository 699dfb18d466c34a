"""The organisation as admins edit it: settings, regions, branches, shifts and staff.

Queries raise ``OrgError`` (naming the form field) and never HTTP errors. CSV imports live in
``org_import``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import msgspec
from piccolo.columns import Column

from audits.org import fields as f
from audits.tables import Branch, ManagedBranch, OrgSettings, Profile, Region, Shift, Staff


class OrgError(Exception):
    """A change that cannot be made; ``field`` names the form field."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class NotFound(OrgError):
    pass


@contextmanager
def _fields() -> Iterator[None]:
    try:
        yield
    except f.FieldProblem as problem:
        raise OrgError(problem.message, problem.field) from None


class Settings(msgspec.Struct, frozen=True):
    name: str = ""
    default_language: str = "en"
    staff_codes_only: bool = False
    min_visit_minutes: int = 4


class RegionInfo(msgspec.Struct, frozen=True):
    id: int
    code: str
    name: str


class BranchInfo(msgspec.Struct, frozen=True):
    id: int
    code: str
    name: str
    region: str | None
    timezone: str
    address: str
    active: bool
    latitude: float | None = None
    longitude: float | None = None


class ShiftInfo(msgspec.Struct, frozen=True):
    """``names``: the shift's name in other languages (``{"el": "πρωί"}``)."""

    id: int
    name: str
    start: str
    end: str
    branch: str | None
    names: dict[str, str] = {}


class StaffInfo(msgspec.Struct, frozen=True):
    id: int
    code: str
    name: str
    active: bool


async def get_settings() -> Settings:
    row = await OrgSettings.select().first()
    if row is None:
        return Settings()
    return Settings(**{k: row[k] for k in Settings.__struct_fields__})


async def save_settings(
    name: str, default_language: str, staff_codes_only: bool, min_visit_minutes: str
) -> Settings:
    with _fields():
        values = Settings(
            name=f.clean_name(name, required=False),
            default_language=f.clean_language(default_language) or "en",
            staff_codes_only=staff_codes_only,
            min_visit_minutes=f.clean_minutes(min_visit_minutes),
        )
    row = await OrgSettings.select(OrgSettings.id).first()
    if row is None:
        await OrgSettings.insert(OrgSettings(**msgspec.structs.asdict(values)))
    else:
        await OrgSettings.update(**msgspec.structs.asdict(values)).where(
            OrgSettings.id == row["id"]
        )
    return values


async def list_regions() -> list[RegionInfo]:
    rows = await Region.select(Region.id, Region.code, Region.name).order_by(Region.code)
    return [RegionInfo(**row) for row in rows]


async def save_region(code: str, name: str) -> None:
    """Add a region, or rename the one with this code."""
    with _fields():
        code, name = f.clean_code(code), f.clean_name(name)
    if await Region.exists().where(Region.code == code):
        await Region.update({Region.name: name}).where(Region.code == code)
    else:
        await Region.insert(Region(code=code, name=name))


def _branch_columns() -> tuple:
    return (
        Branch.id,
        Branch.code,
        Branch.name,
        Branch.region.code.as_alias("region"),
        Branch.timezone,
        Branch.address,
        Branch.active,
        Branch.latitude,
        Branch.longitude,
    )


async def list_branches() -> list[BranchInfo]:
    rows = await Branch.select(*_branch_columns()).order_by(Branch.code)
    return [BranchInfo(**{**row, "active": bool(row["active"])}) for row in rows]


async def get_branch(code: str) -> BranchInfo:
    row = await Branch.select(*_branch_columns()).where(Branch.code == code).first()
    if row is None:
        raise NotFound(f"No branch with code {code!r}.")
    return BranchInfo(**{**row, "active": bool(row["active"])})


async def _region_id(code: str) -> int | None:
    if not code.strip():
        return None
    row = await Region.select(Region.id).where(Region.code == code.strip()).first()
    if row is None:
        raise OrgError(f"No region with code {code.strip()!r}.", "region")
    return row["id"]


async def save_branch(
    original: str | None,
    code: str,
    name: str,
    region: str,
    timezone: str,
    address: str,
    active: bool = True,
    *,
    latitude: str = "",
    longitude: str = "",
) -> BranchInfo:
    """Create a branch (``original`` None) or change the one with code ``original``;
    ``latitude`` and ``longitude`` as typed (decimal degrees, both or neither)."""
    with _fields():
        lat, lon = f.clean_coordinates(latitude, longitude)
        values: dict[Column, Any] = {
            Branch.latitude: lat,
            Branch.longitude: lon,
            Branch.code: f.clean_code(code),
            Branch.name: f.clean_name(name),
            Branch.timezone: f.clean_timezone(timezone),
            Branch.address: address.strip(),
            Branch.active: active,
        }
    values[Branch.region] = await _region_id(region)
    current = await get_branch(original) if original else None
    if values[Branch.code] != original and await Branch.exists().where(
        Branch.code == values[Branch.code]
    ):
        raise OrgError(f"A branch with code {values[Branch.code]!r} already exists.", "code")
    if current is None:
        await Branch.insert(Branch(values))
    else:
        await Branch.update(**{column._meta.name: v for column, v in values.items()}).where(
            Branch.id == current.id
        )
    return await get_branch(values[Branch.code])


async def list_shifts(branch: str | None = None, *, every: bool = False) -> list[ShiftInfo]:
    """The organisation's shifts (``branch`` None), one branch's, or ``every`` one."""
    query = Shift.select(
        Shift.id,
        Shift.name,
        Shift.start_minute,
        Shift.end_minute,
        Shift.names,
        Shift.branch.code.as_alias("branch"),
    ).order_by(Shift.start_minute)
    if not every:
        query = query.where(Shift.branch.code == branch if branch else Shift.branch.is_null())
    return [
        ShiftInfo(
            id=row["id"],
            name=row["name"],
            start=f.format_clock(row["start_minute"]),
            end=f.format_clock(row["end_minute"]),
            branch=row["branch"],
            names=_names(row["names"]),
        )
        for row in await query
    ]


def _names(stored: object) -> dict[str, str]:
    value = msgspec.json.decode(stored) if isinstance(stored, str | bytes) else stored
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


async def shift_names(lang: str, translate: Callable[[str], str] | None = None) -> dict[str, str]:
    """Each shift's default name → its name in ``lang``, for the shifts named in it (a page
    shows ``names.get(shift, shift)``: the default name is the fallback). A shift head office
    named in no other language but whose name is a common one ("morning", "evening", listed in
    ``web/terms.py``) is named by ``translate``, the reader's catalog."""
    if lang not in f.NAME_LANGUAGES:
        return {}
    found: dict[str, str] = {}
    for row in await Shift.select(Shift.name, Shift.names):
        names = _names(row["names"])
        if lang in names:
            found[row["name"]] = names[lang]
        elif translate is not None and (said := translate(row["name"])) != row["name"]:
            found[row["name"]] = said
    return found


async def set_shift_names(shift_id: int, names: dict[str, str]) -> ShiftInfo:
    """The shift's names in other languages (an empty one removed); ``NotFound`` if none."""
    with _fields():
        cleaned = f.clean_names(names)
    if not await Shift.exists().where(Shift.id == shift_id):
        raise NotFound(f"No shift {shift_id}.")
    await Shift.update({Shift.names: cleaned}).where(Shift.id == shift_id)
    return next(s for s in await list_shifts(every=True) if s.id == shift_id)


async def add_shift(
    name: str,
    start: str,
    end: str,
    branch: str | None = None,
    names: dict[str, str] | None = None,
) -> ShiftInfo:
    """A shift of the organisation or of one branch; names are unique and windows do not
    overlap within either, so a visit time falls in at most one shift. ``names``: its name
    in other languages."""
    with _fields():
        name, begin, finish = f.clean_shift(name, start, end)
        translated = f.clean_names(names or {})
    branch_id = (await get_branch(branch)).id if branch else None
    for other in await list_shifts(branch):
        if other.name.lower() == name.lower():
            raise OrgError(f"There is already a shift named {other.name!r}.", "name")
        window = (f.parse_clock(other.start, "start"), f.parse_clock(other.end, "end"))
        if f.shifts_overlap((begin, finish), window):
            message = f"Overlaps {other.name} ({other.start}–{other.end})."
            raise OrgError(message, "start")
    shift = Shift(
        name=name, start_minute=begin, end_minute=finish, branch=branch_id, names=translated
    )
    await shift.save()
    return ShiftInfo(
        shift.id, name, f.format_clock(begin), f.format_clock(finish), branch, translated
    )


async def delete_shift(shift_id: int) -> None:
    await Shift.delete().where(Shift.id == shift_id)


async def list_staff(branch: str) -> list[StaffInfo]:
    rows = await (
        Staff.select(Staff.id, Staff.code, Staff.name, Staff.active)
        .where(Staff.branch.code == branch)
        .order_by(Staff.code)
    )
    return [StaffInfo(**{**row, "active": bool(row["active"])}) for row in rows]


async def save_staff(branch: str, code: str, name: str, active: bool = True) -> None:
    """Add a staff member to a branch, or change the one with this code there."""
    with _fields():
        code, name = f.clean_code(code), f.clean_name(name, required=False)
    branch_id = (await get_branch(branch)).id
    existing = (
        await Staff.select(Staff.id).where(Staff.branch == branch_id, Staff.code == code).first()
    )
    if existing is None:
        await Staff.insert(Staff(branch=branch_id, code=code, name=name, active=active))
    else:
        await Staff.update({Staff.name: name, Staff.active: active}).where(
            Staff.id == existing["id"]
        )


async def org_default_language() -> str | None:
    """The organisation's default language, or None while the organisation has no settings."""
    row = await OrgSettings.select(OrgSettings.default_language).first()
    return row["default_language"] if row else None


class OrgHealth(msgspec.Struct, frozen=True, kw_only=True):
    """What an admin should look at: active users per role, deactivated users, and the active
    branches that lack shifts (none of their own and none organisation-wide) or an active
    manager."""

    users: dict[str, int]
    inactive: int
    branches: int
    without_shifts: list[str]
    without_manager: list[str]


async def org_health() -> OrgHealth:
    """The organisation's state at a glance, for the admin's start page."""
    users: dict[str, int] = {}
    inactive = 0
    for row in await Profile.select(Profile.role, Profile.user.active.as_alias("active")):
        if row["active"]:
            users[row["role"]] = users.get(row["role"], 0) + 1
        else:
            inactive += 1
    branches = {r["code"] for r in await Branch.select(Branch.code).where(Branch.active.eq(True))}
    shifts = await Shift.select(Shift.branch.code.as_alias("branch"))
    shared = any(r["branch"] is None for r in shifts)
    managed = await ManagedBranch.select(ManagedBranch.branch.code.as_alias("code")).where(
        ManagedBranch.user._.active == True  # noqa: E712
    )
    return OrgHealth(
        users=users,
        inactive=inactive,
        branches=len(branches),
        without_shifts=[] if shared else sorted(branches - {r["branch"] for r in shifts}),
        without_manager=sorted(branches - {r["code"] for r in managed}),
    )
