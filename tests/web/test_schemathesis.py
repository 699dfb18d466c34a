"""Schemathesis over the whole OpenAPI, as every role, against a real server: no request the
schema describes (or nearly describes) may get a 5xx.

Each role runs every operation with generated data that fits the schema and data that does not,
and once more with the seeded organisation's real ids in the path, so the code behind the lookup
is reached too. Examples are bounded and derandomised: the same requests every run.
"""

from __future__ import annotations

import collections

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from web.settings import Settings

from .live_server import serve
from .schemathesis_seed import ROLES, seed_organisation

MAX_EXAMPLES = 12
"""Per operation, role and generation mode: ~5 roles x 35 operations x 3 runs x 12 examples."""

HYPOTHESIS = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def _explore(operation, strategy, headers: dict, tally: collections.Counter, failures: list):
    @HYPOTHESIS
    @given(case=strategy)
    def run_case(case):
        response = case.call(headers=headers, timeout=30)
        tally[operation.label] += 1
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {case.as_curl_command(headers=headers)}")
            return
        try:
            case.validate_response(response, checks=[not_a_server_error], headers=headers)
        except Exception as error:  # noqa: BLE001 - collected, reported together below
            failures.append(f"{operation.label}: {error}")

    try:
        run_case()
    except Unsatisfiable:  # nothing to break, e.g. negative data for GET /health
        pass


@pytest.mark.parametrize("role", ROLES)
def test_openapi_as_role_no_server_error(org, db, role: str) -> None:
    settings_ = Settings(database_url=db, secret_key="schemathesis", db_pool=False, login_rate=1000)
    with serve(settings_) as base_url:
        seeded = seed_organisation(base_url)
        headers = seeded.headers(role)
        schema = schemathesis.openapi.from_url(f"{base_url}/schema/openapi.json")
        tally: collections.Counter = collections.Counter()
        failures: list[str] = []
        import time as _t

        T = [_t.monotonic()]
        for result in schema.get_all_operations():
            operation = result.ok()
            known = seeded.path_parameters(operation)
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                strategy = operation.as_strategy(generation_mode=mode)
                _explore(operation, strategy, headers, tally, failures)
            if known:
                strategy = operation.as_strategy(path_parameters=known)
                _explore(operation, strategy, headers, tally, failures)
            import time as _t

            print(operation.label, round(_t.monotonic() - T[0], 1))
            T[0] = _t.monotonic()
    print(f"{role}: {sum(tally.values())} requests over {len(tally)} operations")
    assert not failures, "\n".join(failures[:20]) + f"\n({len(failures)} in all)"
