"""Reference data is served from memory; an operator's change reaches every worker."""

from sqlalchemy import update

from app.catalog.models import ServiceItem
from app.core.db import create_sessionmaker
from app.core.read_cache import ReadCache, bump
from tests.support.statements import statements_sent


async def test_repeated_reads_are_answered_without_the_database(app, client):
    await client.get("/api/v1/catalog/items/TH-001")

    with statements_sent(app.state.engine) as statements:
        for _ in range(20):
            response = await client.get("/api/v1/catalog/items/TH-001")
            assert response.status_code == 200

    assert statements == []


async def test_a_seed_bump_reaches_every_worker_and_until_then_memory_answers(two_workers):
    apps, (first, second) = two_workers
    for worker in apps:
        worker.state.read_cache = ReadCache(worker.state.sessionmaker, check_seconds=0)
    before = (await first.get("/catalog/items/TH-001")).json()["name"]
    assert (await second.get("/catalog/items/TH-001")).json()["name"] == before

    async with create_sessionmaker(apps[0].state.engine).begin() as session:
        await session.execute(
            update(ServiceItem).where(ServiceItem.code == "TH-001").values(name="改名后的事项")
        )
    assert (await first.get("/catalog/items/TH-001")).json()["name"] == before  # not told yet

    async with create_sessionmaker(apps[0].state.engine).begin() as session:
        await bump(session, "catalog")

    assert (await first.get("/catalog/items/TH-001")).json()["name"] == "改名后的事项"
    assert (await second.get("/catalog/items/TH-001")).json()["name"] == "改名后的事项"


async def test_an_error_is_not_kept(client):
    assert (await client.get("/api/v1/catalog/items/XX-999")).status_code == 404
    assert (await client.get("/api/v1/catalog/items/XX-999")).status_code == 404


async def test_an_answer_from_memory_carries_the_same_headers_and_revalidates(client):
    first = await client.get("/api/v1/agencies/SH")
    again = await client.get("/api/v1/agencies/SH", headers={"X-Request-ID": "client-chosen-id-1"})

    assert again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["x-request-id"] == "client-chosen-id-1"
    assert again.headers["content-security-policy"].startswith("default-src 'none'")
    unchanged = await client.get("/api/v1/agencies/SH", headers={"If-None-Match": first.headers["etag"]})
    assert unchanged.status_code == 304


async def test_the_query_string_is_part_of_the_answer(client):
    crew = (await client.get("/api/v1/catalog/items", params={"q": "船员"})).json()["items"]
    ships = (await client.get("/api/v1/catalog/items", params={"q": "船舶"})).json()["items"]

    assert crew != ships
