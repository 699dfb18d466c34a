"""Schemathesis over the whole OpenAPI, as every role, against a real server: no request the
schema describes (or nearly describes) gets a 5xx, and every JSON answer fits the schema.

For each role, every operation runs with generated data that fits the schema, data that does
not, and data that fits with the seeded organisation's real ids in the path (so the code behind
the lookup runs too). Examples are bounded and derandomised: the same requests every run.
"""

from __future__ import annotations

import collections
import contextlib

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error, response_schema_conformance

from web.settings import Settings

from .live_server import serve
from .schemathesis_seed import ROLES, Seeded, make_tokens, seed_organisation

EXAMPLES = 5
"""Per operation, role and kind of data."""
HEAVY = {"POST /api/checklists/", "PUT /api/checklists/{slug}/versions/{number}"}
"""Whole checklist documents: ~1 s to generate each, so fewer of them."""
HEAVY_EXAMPLES = 1
CHECKS = [not_a_server_error, response_schema_conformance]


def _runs(operation, seeded: Seeded):
    yield operation.as_strategy(generation_mode=GenerationMode.POSITIVE)
    yield operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)
    if known := seeded.path_parameters(operation):
        yield operation.as_strategy(path_parameters=known)


def _explore(operation, strategy, headers: dict, tally: collections.Counter, failures: list):
    examples = HEAVY_EXAMPLES if operation.label in HEAVY else EXAMPLES

    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run_case(case):
        response = case.call(headers=headers, timeout=30)
        tally[f"{response.status_code // 100}xx"] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except Exception as error:  # noqa: BLE001 - collected, reported together below
            failures.append(f"{operation.label}: {error}")

    with contextlib.suppress(Unsatisfiable):  # e.g. no wrong data for GET /health
        run_case()


@pytest.mark.parametrize("role", ROLES)
def test_openapi_as_role_no_server_error(org, db, role: str) -> None:
    app_settings = Settings(
        database_url=db, secret_key="st", db_pool=True, login_rate=1000, webhook_interval=0
    )
    tally: collections.Counter = collections.Counter()
    failures: list[str] = []
    tokens = make_tokens()
    with serve(app_settings) as base_url:
        seeded = seed_organisation(base_url, tokens, org)
        schema = schemathesis.openapi.from_url(f"{base_url}/schema/openapi.json")
        for result in schema.get_all_operations():
            operation = result.ok()
            for strategy in _runs(operation, seeded):
                _explore(operation, strategy, seeded.headers(role), tally, failures)
    print(
        f"\n{role}: {sum(tally.values())} requests, by status class {dict(sorted(tally.items()))}"
    )
    assert tally["5xx"] == 0 and not failures, "\n".join(failures[:10]) + f"\n({len(failures)})"
