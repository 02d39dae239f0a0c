"""The client an integrator generates from openapi/openapi.json works against a live server.

openapi-python-client (pinned in tools/openapi-client/requirements.txt, installed by `make tools`
into .venv-tools: its httpx pin conflicts with the project's) generates the package
``msa_one_stop_client`` into a temporary directory; the test imports it from there and drives one
server started as `make run` starts it: public reads, a typed binary download, an error as
problem+json; and the example integration (examples/integrator/integrate.py) runs against it as
an integrator runs it: token, push, bulk load, a signed webhook verified, the back office polled.
docs/integrators.md tells integrators the same commands.
"""

import asyncio
import importlib
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.support import files
from tests.support.people import bearer, sign_in_as
from tests.support.servers import REPO_ROOT, start_api, stop

TOOLS_BIN = REPO_ROOT / ".venv-tools" / "bin"
GENERATOR = TOOLS_BIN / "openapi-python-client"
CONFIG = REPO_ROOT / "tools" / "openapi-client" / "config.yml"
CONTRACT = REPO_ROOT / "openapi" / "openapi.json"


def generate(output: Path) -> subprocess.CompletedProcess:
    """`openapi-python-client generate` as docs/integrators.md shows it."""
    assert GENERATOR.exists(), "the generator is installed by `make tools` (a prerequisite of `make test`)"
    return subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(CONTRACT),
            "--config",
            str(CONFIG),
            "--output-path",
            str(output),
        ],
        # ruff (pinned with the generator) formats what it writes.
        env={"PATH": f"{TOOLS_BIN}:/usr/bin:/bin", "HOME": str(output.parent)},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The generated project (msa-one-stop-client) and its log; its package importable."""
    project = tmp_path_factory.mktemp("generated") / "msa-one-stop-client"
    run = generate(project)
    sys.path.insert(0, str(project))
    yield project, run.stdout + run.stderr
    sys.path.remove(str(project))
    for name in [name for name in sys.modules if name.split(".")[0] == "msa_one_stop_client"]:
        del sys.modules[name]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("generated-client-server")
    process, base = start_api(
        {
            "DATA_DIR": str(data_dir),
            "DATABASE_URL": f"sqlite+aiosqlite:///{data_dir / 'api.sqlite3'}",
            # The example's webhook consumer listens on http://127.0.0.1 (development only).
            "WEBHOOK_ALLOW_HTTP": "true",
            "WEBHOOK_ALLOW_PRIVATE_TARGETS": "true",
            "WEBHOOK_POLL_SECONDS": "0.2",
        }
    )
    yield base
    stop(process)


def client_module(name: str):
    return importlib.import_module(f"msa_one_stop_client.{name}")


def test_the_generated_project_is_named_for_integrators_and_its_modules_after_the_ascii_tags(generated):
    project, log = generated
    assert (project / "pyproject.toml").read_text().count('name = "msa-one-stop-client"') == 1
    modules = {path.name for path in (project / "msa_one_stop_client" / "api").iterdir() if path.is_dir()}
    assert {"agencies", "catalog", "help_", "materials", "staff_applications"} <= modules
    assert all(name.isascii() for name in modules)
    # Functions are named after the operation ids, not FastAPI's path-derived defaults.
    assert (project / "msa_one_stop_client" / "api" / "catalog" / "get_catalog_item.py").exists()
    # Every operation is generated (downloads and the integrators' routes too) but the three whose
    # free-form body (an application's form, a dataset record) is a recursive JSON schema the
    # generator cannot type.
    skipped = set(re.findall(r"WARNING parsing (\S+ \S+) within \S+\. Endpoint will not be generated", log))
    assert skipped == {
        "POST /api/v1/applications",
        "PUT /api/v1/applications/{application_id}",
        "PUT /api/v1/admin/dataset/draft/files/{file}/records/{key}",
    }, log


def test_the_generated_client_reads_the_public_catalog_of_a_live_server(generated, server):
    from msa_one_stop_client import Client

    list_agencies = client_module("api.agencies.list_agencies")
    list_catalog_items = client_module("api.catalog.list_catalog_items")
    get_catalog_item = client_module("api.catalog.get_catalog_item")
    get_agency = client_module("api.agencies.get_agency")
    models = client_module("models")

    with Client(base_url=server, raise_on_unexpected_status=True) as api:
        agencies = list_agencies.sync(client=api)
        assert [agency.code for agency in agencies] == ["CN"]
        shanghai = get_agency.sync("SH", client=api)
        assert isinstance(shanghai, models.AgencyDetail) and shanghai.name == "上海海事局"

        page = list_catalog_items.sync(client=api, limit=5)
        assert isinstance(page, models.PageServiceItemSummary) and page.items
        guide = get_catalog_item.sync(page.items[0].code, client=api)
        assert isinstance(guide, models.ServiceItemDetail)
        assert guide.code == page.items[0].code and guide.name

        # An error arrives as the typed problem+json, in Chinese, with its stable code.
        missing = get_agency.sync_detailed("NO-SUCH-AGENCY", client=api)
        assert missing.status_code == 404
        assert isinstance(missing.parsed, models.Problem)
        assert missing.parsed.code == "agency.not_found"
        assert missing.headers["content-type"].startswith("application/problem+json")


def test_a_material_uploaded_through_the_generated_client_downloads_as_typed_bytes(generated, server):
    from msa_one_stop_client import AuthenticatedClient
    from msa_one_stop_client.types import File

    upload_material = client_module("api.materials.upload_material")
    get_material_content = client_module("api.materials.get_material_content")
    models = client_module("models")

    async def citizen_token() -> str:
        async with httpx.AsyncClient(base_url=f"{server}/api/v1", timeout=30) as api:
            return (await sign_in_as(api, "personal"))["access_token"]

    scan = files.png()
    with AuthenticatedClient(base_url=server, token=asyncio.run(citizen_token())) as api:
        uploaded = upload_material.sync(
            client=api,
            body=models.UploadMaterialBody(
                file=File(payload=scan, file_name="船员证扫描件.png", mime_type="image/png")
            ),
        )
        assert isinstance(uploaded, models.MaterialRead), uploaded

        download = get_material_content.sync_detailed(uploaded.id, client=api)
        assert download.status_code == 200
        assert isinstance(download.parsed, File)
        assert download.parsed.payload.read() == scan
        # The contract says octet-stream; the real type is in the header, as documented.
        assert download.headers["content-type"] == "image/png"


def test_the_example_integration_runs_against_a_live_server(generated, server):
    """What docs/integrators.md walks through, end to end, as an integrator's script."""
    project, _ = generated

    async def registered_by_the_system_administrator() -> dict:
        async with httpx.AsyncClient(base_url=f"{server}/api/v1", timeout=30) as api:
            sysadmin = await sign_in_as(api, "sysadmin")
            response = await api.post(
                "/admin/clients",
                json={
                    "name": "上海海事局证照库",
                    "responsible_unit": "上海海事局信息中心",
                    "agency_code": "SH",
                    "scopes": [
                        "certificates:write",
                        "applications:read",
                        "applications:decide",
                        "events:subscribe",
                    ],
                },
                headers=bearer(sysadmin),
            )
            assert response.status_code == 201, response.text
            return response.json()

    client = asyncio.run(registered_by_the_system_administrator())
    run = subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "examples" / "integrator" / "integrate.py"),
            "--base-url",
            server,
            f"--client-id={client['client_id']}",
            # With "=": a secret may begin with "-", which argparse would read as an option.
            f"--client-secret={client['client_secret']}",
        ],
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count("(signature verified)") == 3, run.stdout
    assert "bulk: " in run.stdout and "back office: " in run.stdout
