"""A small organisation behind a live server, so generated requests reach real rows: a
published failing audit (with corrective actions), a submitted one, a photo, a draft, a planned
visit and a checklist draft; and an API token for each role."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

import requests
from PIL import Image

from audits.org.tokens import create_token
from checklists.model import Checklist

from ..conftest import run
from .audit_fixtures import audit_body

ROLES = ("anonymous", "shopper", "manager", "office", "admin")
USERS = {"shopper": "sam", "manager": "max", "office": "ada", "admin": "root"}


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, "JPEG")
    return buffer.getvalue()


@dataclass
class Seeded:
    tokens: dict[str, str]
    ids: dict[str, object]

    def headers(self, role: str) -> dict[str, str]:
        token = self.tokens.get(role)
        return {"Authorization": f"Bearer {token}"} if token else {}

    def path_parameters(self, operation) -> dict[str, object]:
        """The seeded ids for the operation's path parameters (none when it has none)."""
        names = [p.name for p in operation.path_parameters]
        return {name: self.ids[name] for name in names if name in self.ids}


def _call(base_url: str, token: str, method: str, path: str, **kwargs) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"}
    response = requests.request(method, base_url + path, headers=headers, timeout=30, **kwargs)
    assert response.status_code < 300, f"{method} {path}: {response.status_code} {response.text}"
    return response


def make_tokens() -> dict[str, str]:
    """An API token per role. Call it before the server starts: once the server's connection
    pool runs on its own event loop, this thread must not touch the database."""
    return {role: run(create_token(name)) for role, name in USERS.items()}


def seed_organisation(base_url: str, tokens: dict[str, str], doc: Checklist) -> Seeded:
    """Seed through the API on top of the ``org`` fixture's people, branches and checklist
    (``doc``, the published default)."""
    shopper, office = tokens["shopper"], tokens["office"]
    photo = _call(
        base_url, shopper, "POST", "/api/evidence", files={"file": ("p.jpg", _jpeg(), "image/jpeg")}
    )
    failing = audit_body(doc, branch="B1")
    failing["answers"].update(entrance_clean_tidy=False, greeted_verbally=False)
    _call(base_url, shopper, "POST", "/api/audits", json=failing)
    _call(base_url, office, "POST", f"/api/audits/{failing['id']}/approve")
    _call(base_url, shopper, "POST", "/api/audits", json=audit_body(doc, branch="B1"))
    draft = uuid.uuid4()
    _call(base_url, shopper, "PUT", f"/api/drafts/{draft}", json={"branch": "B1"})
    visit = _call(
        base_url,
        office,
        "POST",
        "/api/visits/",
        json={"branch": "B1", "checklist": "service-fundamentals", "window_start": "2030-01-07"},
    ).json()
    _call(base_url, office, "POST", "/api/checklists/service-fundamentals/drafts")
    actions = _call(base_url, office, "GET", "/api/actions/").json()
    hook = {"url": "http://127.0.0.1:9/hook", "events": ["audit.published"]}  # nobody serves it
    endpoint = _call(base_url, tokens["admin"], "POST", "/api/webhooks", json=hook).json()
    ids = {
        "endpoint_id": endpoint["endpoint"]["id"],
        "audit_id": failing["id"],
        "action_id": actions[0]["id"],
        "visit_id": visit["id"],
        "evidence_id": photo.json()["id"],
        "draft_id": str(draft),
        "slug": "service-fundamentals",
        "number": "1",
    }
    return Seeded(tokens=tokens, ids=ids)
