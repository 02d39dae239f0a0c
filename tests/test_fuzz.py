"""Schemathesis fuzzes every operation of the OpenAPI document against the API on loopback.

The server is started as `make run` starts it (SQLite, demo data) by tests/support/servers.py.
Every check schemathesis has is on, with all four phases (examples, coverage, fuzzing and the
stateful phase that chains operations through the ids their responses return).

Who calls what comes from the document itself: each protected operation names the roles it
admits in its security requirement (``{"HTTPBearer": ["staff"]}``). Operations are fuzzed in one
run per role, signed in as the first role they admit (public ones and those for anyone signed in
as a personal user), so routes added later are covered as soon as they are documented. Two
personal users are "peers": what one of them reads, the object-level authorization check replays
as the other and fails if it is served.

The run is bounded and reproducible: a fixed seed, deterministic generation and a few examples
per operation. Operations that end the caller's session (logout) run last, so they cannot sign
an identity out while other operations still need it.
"""

import asyncio
import json
import subprocess
from pathlib import Path

import httpx
import pytest

from app.core.auth import Scope
from tests.support.people import DEMO_ACCOUNTS, sign_in_as
from tests.support.servers import VENV_BIN, start_api, stop

SEED = 20260527
# The check that a 422 to schema-valid input has a reason a JSON Schema cannot state.
FUZZ_CHECKS = Path(__file__).parent / "support" / "fuzz_checks.py"
MAX_EXAMPLES = 5
STATEFUL_STEPS = 10
# For one run (one role); the README ("Fuzzing and hostile input") says how long the whole test takes.
TIME_LIMIT_SECONDS = 180

# "personal" is also the identity of public operations and of those for anyone signed in.
PEERS = ("personal", "personal-peer")
# The identity of the operations for machine clients (系统对接), whatever their scopes.
MACHINE_CLIENT = "client"
# Operations after which the caller's token no longer works.
SESSION_ENDING = ("POST /api/v1/auth/logout",)


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("fuzz")
    # Limits per client address would turn most of the run into 429s from one address, and the
    # generated usernames ("0", "a" …) into 423s once each failed five times from it;
    # the limits themselves are tested in tests/test_bad_input.py and tests/auth.
    process, base = start_api(
        {
            "DATA_DIR": str(data_dir),
            "DATABASE_URL": f"sqlite+aiosqlite:///{data_dir / 'fuzz.sqlite3'}",
            "AUTH_REQUESTS_PER_MINUTE": "1000000",
            "PUBLIC_QUERIES_PER_MINUTE": "1000000",
            "LOGIN_FAILURE_LIMIT": "1000000",
            # Tokens are signed in once, before the runs; a slow machine must not outlive them.
            "ACCESS_TOKEN_TTL": "PT1H",
            "CLIENT_TOKEN_TTL": "PT1H",
        }
    )
    yield base
    stop(process)


async def signed_in_identities(base: str) -> list[dict]:
    """One Web Fuzzing Commons auth entry per identity, named by role."""
    async with httpx.AsyncClient(base_url=f"{base}/api/v1", timeout=30) as api:
        tokens = {peer: await sign_in_as(api, "personal") for peer in PEERS}
        for role in DEMO_ACCOUNTS:
            tokens[role] = await sign_in_as(api, role)
        tokens[MACHINE_CLIENT] = await machine_client_token(api, base, tokens["sysadmin"])
    return [
        {
            "name": name,
            "fixedHeaders": [{"name": "Authorization", "value": f"Bearer {issued['access_token']}"}],
        }
        for name, issued in tokens.items()
    ]


async def machine_client_token(api: httpx.AsyncClient, base: str, sysadmin: dict) -> dict:
    """A machine client of the root agency holding every scope, registered by the system
    administrator, and its token from ``POST /oauth/token``: the identity of the operations
    the contract secures with the ``MachineClient`` scheme."""
    registered = await api.post(
        "/admin/clients",
        json={
            "name": "模糊测试对接系统",
            "responsible_unit": "部海事局信息中心",
            "agency_code": "CN",
            "scopes": [scope.value for scope in Scope],
            "rate_limit_per_minute": 100_000,
        },
        headers={"Authorization": f"Bearer {sysadmin['access_token']}"},
    )
    assert registered.status_code == 201, registered.text
    credentials = registered.json()
    issued = await api.post(
        f"{base}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(credentials["client_id"], credentials["client_secret"]),
    )
    assert issued.status_code == 200, issued.text
    return issued.json()


def write_config(directory: Path, identities: list[dict]) -> Path:
    auth_file = directory / "wfc-auth.json"
    auth_file.write_text(json.dumps({"auth": identities}), encoding="utf-8")
    config = directory / "schemathesis.toml"
    config.write_text(
        f"""
seed = {SEED}
color = false
hooks = "{FUZZ_CHECKS}"

# Nothing learnt in one run (which identity an operation takes) carries over to the next.
[cache]
enabled = false

[generation]
max-examples = {MAX_EXAMPLES}
deterministic = true

[checks]
enabled = true

# Schema-valid is not always valid: a JSON Schema cannot state check digits (ID numbers, credit
# codes), opaque cursors, the version an If-Match must name, that a referenced material, face
# session or certificate exists, or what a file is (decided from its bytes). The API refuses
# those with 422, 412 or 415 like any bad input, so they count as answers here; a 422 only
# with the semantic codes listed in tests/support/fuzz_checks.py (its check `refusals_are_semantic`).
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "412", "415", "422", "429"]

[phases.stateful]
enabled = true
max-steps = {STATEFUL_STEPS}

[auth.wfc]
path = "{auth_file}"
peers = {json.dumps(list(PEERS))}
""",
        encoding="utf-8",
    )
    return config


def schemathesis_run(base: str, config: Path, *filters: str) -> subprocess.CompletedProcess:
    command = [
        str(VENV_BIN / "schemathesis"),
        "--config-file",
        str(config),
        "run",
        f"{base}/openapi.json",
        "--checks",
        "all",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        # One worker: the run stays reproducible, and fits a 2-core machine shared with the server.
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--no-shrink",
        *filters,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=TIME_LIMIT_SECONDS, check=False)


def runs_by_role(document: dict) -> dict[str, list[str]]:
    """Operation labels grouped by the identity that calls them; session-ending ones last."""
    runs: dict[str, list[str]] = {}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            label = f"{method.upper()} {path}"
            roles = [
                role
                for requirement in operation.get("security", [])
                for role in requirement.get("HTTPBearer", [])
            ] + [MACHINE_CLIENT for requirement in operation.get("security", []) if "MachineClient" in requirement]
            identity = "personal" if label in SESSION_ENDING else (roles[0] if roles else "personal")
            runs.setdefault(
                f"{identity} (session-ending)" if label in SESSION_ENDING else identity, []
            ).append(label)
    # The machine client's run first: the system administrator's may revoke clients.
    return dict(sorted(runs.items(), key=lambda run: ("session-ending" in run[0], run[0] != MACHINE_CLIENT)))


async def test_every_operation_survives_the_fuzzer_with_every_check(fuzz_server, tmp_path):
    identities = await signed_in_identities(fuzz_server)
    config = write_config(tmp_path, identities)
    async with httpx.AsyncClient() as client:
        document = (await client.get(f"{fuzz_server}/openapi.json")).json()

    outputs = {}
    for run, labels in runs_by_role(document).items():
        identity = run.split()[0]
        assert identity in {entry["name"] for entry in identities}, f"no signed-in {identity} for {labels}"
        filters = [
            "--auth-wfc-user",
            identity,
            *(arg for label in labels for arg in ("--include-name", label)),
        ]
        result = await asyncio.to_thread(schemathesis_run, fuzz_server, config, *filters)
        outputs[run] = (result.returncode, result.stdout + result.stderr)
        print(f"== {run} ==\n{result.stdout[-3000:]}")  # shown with `pytest -s`

    failed = {run: output for run, (code, output) in outputs.items() if code}
    assert not failed, "\n\n".join(f"== {run} ==\n{output}" for run, output in failed.items())
