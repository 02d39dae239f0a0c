"""The registry loads certificates in bulk: ``POST /registry/certificates/bulk`` (NDJSON, streamed)
and ``python -m app.cli certificates-load FILE`` — one code path (app/certificates/bulk.py)."""

import json

import pytest
from sqlalchemy import func, select

from app import cli
from app.audit.models import AuditEvent
from app.certificates import bulk
from app.certificates.models import Certificate
from app.core.auth import Scope
from app.core.pii import PersonalDataCipher
from app.outbox.models import OutboxEvent
from tests.support.clients import registered_client

NDJSON = {"Content-Type": "application/x-ndjson"}


def line(registry_id: str, *, version: int = 1, number: str | None = None, **changes) -> dict:
    """One 海船船员适任证书 as the registry exports it."""
    item = {
        "registry_id": registry_id,
        "source_version": version,
        "type_code": "SEAFARER_COC_SEA",
        "number": number or f"COC{registry_id[-6:].rjust(6, '0')}",
        "status": "valid",
        "agency_code": "SH",
        "holder": {"kind": "person", "name": "王大海", "id_number": "11010519491231002X"},
        "issued_on": "2024-03-01",
        "expires_on": "2029-02-28",
        "fields": {
            "gender": "男",
            "birth_date": "1949-12-31",
            "nationality": "中国",
            "department": "甲板部",
            "capacity": "大副",
            "grade": "3000总吨及以上",
            "navigation_area": "无限航区",
            "limitations": "无",
        },
    }
    item.update(changes)
    return item


def ndjson(*items: dict | bytes) -> bytes:
    return b"".join(
        (item if isinstance(item, bytes) else json.dumps(item, ensure_ascii=False).encode()) + b"\n"
        for item in items
    )


def report(text: str) -> tuple[list[dict], dict]:
    lines = [json.loads(entry) for entry in text.splitlines() if entry]
    assert "summary" in lines[-1], lines
    return lines[:-1], lines[-1]["summary"]


@pytest.fixture
async def registry_client(session, settings):
    return await registered_client(session, settings, scopes=[Scope.certificates_write])


@pytest.fixture
def registry(registry_client):
    """The headers of a bulk load by the registry's client."""
    return {**registry_client[1], **NDJSON}


async def stored(session) -> dict[str, tuple[int, str]]:
    rows = await session.execute(
        select(Certificate.registry_id, Certificate.source_version, Certificate.number).where(
            Certificate.registry_id.is_not(None)
        )
    )
    return {registry_id: (version, number) for registry_id, version, number in rows}


async def events(session) -> int:
    certificate_events = OutboxEvent.type.like("certificate.%")
    return await session.scalar(select(func.count()).select_from(OutboxEvent).where(certificate_events))


async def test_a_file_of_good_bad_and_repeated_lines_is_reported_by_line_and_only_its_good_lines_applied(
    api, session, registry, registry_client
):
    body = ndjson(
        line("R-000001"),  # 1 accepted
        b'{"registry_id": "R-000002", "source_version": 1,',  # 2 not JSON
        line("R-000003"),  # 3 accepted
        line("R-000001"),  # 4 the same push again: unchanged
        line("R-000005", type_code="NO_SUCH_TYPE"),  # 5 refused
        b"",  # 6 a blank line: skipped
        line("R-000007", agency_code="XX"),  # 7 unknown agency (only the database knows)
        line("R-000003", version=2, status="revoked"),  # 8 accepted: a newer version
        line("R-000003", version=1),  # 9 older than stored: unchanged
    )

    response = await api.post("/registry/certificates/bulk", content=body, headers=registry)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    refusals, summary = report(response.text)
    assert summary == {"accepted": 3, "unchanged": 2, "refused": 3, "last_committed_line": 9}
    assert [(r["line"], r["registry_id"]) for r in sorted(refusals, key=lambda r: r["line"])] == [
        (2, None),
        (5, "R-000005"),
        (7, "R-000007"),
    ]
    by_line = {r["line"]: r["errors"] for r in refusals}
    assert by_line[2][0]["code"] == "json_invalid"
    assert [(e["field"], e["code"]) for e in by_line[5]] == [("type_code", "literal_error")]
    assert by_line[7] == [{"code": "unknown_agency", "title": "签发机关代码「XX」不存在", "field": "agency_code"}]
    assert all(error["title"] for errors in by_line.values() for error in errors)
    assert await stored(session) == {"R-000001": (1, "COC000001"), "R-000003": (2, "COC000003")}
    assert await events(session) == 3  # issued, issued, status_changed: nothing for what changed nothing

    again = await api.post("/registry/certificates/bulk", content=body, headers=registry)

    _, summary = report(again.text)
    assert summary == {"accepted": 0, "unchanged": 5, "refused": 3, "last_committed_line": 9}
    assert await events(session) == 3
    loads = (await session.scalars(select(AuditEvent).where(AuditEvent.event == "certificate.bulk_load"))).all()
    assert [(load.actor_id, load.detail["accepted"], load.detail["unchanged"]) for load in loads] == [
        (registry_client[0].user_id, 3, 2),
        (registry_client[0].user_id, 0, 5),
    ]


async def test_a_line_refused_for_one_field_leaves_nothing_of_it(api, session, registry):
    holder = {"kind": "person", "name": "王大海", "id_number": "110105194912310021"}
    wrong_check_digit = line("R-000010", holder=holder)

    response = await api.post(
        "/registry/certificates/bulk", content=ndjson(wrong_check_digit, line("R-000011")), headers=registry
    )

    refusals, summary = report(response.text)
    assert summary == {"accepted": 1, "unchanged": 0, "refused": 1, "last_committed_line": 2}
    (refusal,) = refusals
    assert refusal["line"] == 1 and refusal["registry_id"] == "R-000010"
    assert [error["field"] for error in refusal["errors"]] == ["holder.id_number"]
    assert list(await stored(session)) == ["R-000011"]
    assert await session.scalar(select(Certificate).where(Certificate.number == "COC000010")) is None


async def test_from_line_skips_the_lines_an_earlier_load_committed(api, session, registry):
    body = ndjson(line("R-000021"), line("R-000022"), line("R-000023"))

    response = await api.post(
        "/registry/certificates/bulk", params={"from_line": 2}, content=body, headers=registry
    )

    _, summary = report(response.text)
    assert summary == {"accepted": 1, "unchanged": 0, "refused": 0, "last_committed_line": 3}
    assert list(await stored(session)) == ["R-000023"]


async def test_a_load_broken_off_midway_resumes_from_its_last_committed_line_and_applies_each_line_once(
    app, session, settings
):
    pii = PersonalDataCipher(*settings.pii_keys)
    storage = app.state.adapters.storage
    body = ndjson(*(line(f"R-{n:06d}") for n in range(1, 8)))
    committed: list[int] = []

    async def broken_after_five_lines():
        for number, content in enumerate(body.splitlines(keepends=True), start=1):
            if number == 6:
                raise ConnectionResetError("the sender went away")
            yield content

    with pytest.raises(ConnectionResetError):
        await bulk.load(
            session,
            pii,
            storage,
            broken_after_five_lines(),
            on_refused=lambda refusal: pytest.fail(f"refused {refusal}"),
            on_committed=lambda summary: committed.append(summary.last_committed_line),
            batch_size=2,
        )
    await session.rollback()  # what the request's transaction does when its body breaks

    assert committed == [2, 4]
    assert sorted(await stored(session)) == ["R-000001", "R-000002", "R-000003", "R-000004"]

    async def whole_file():
        yield body

    summary = await bulk.load(
        session,
        pii,
        storage,
        whole_file(),
        from_line=committed[-1],
        on_refused=lambda refusal: None,
        batch_size=2,
    )

    assert summary == bulk.Summary(accepted=3, unchanged=0, refused=0, last_committed_line=7)
    assert len(await stored(session)) == 7
    assert await events(session) == 7  # each certificate issued once


async def test_a_body_that_is_not_ndjson_is_refused_with_415(api, registry):
    response = await api.post(
        "/registry/certificates/bulk",
        json=line("R-000031"),
        headers={**registry, "Content-Type": "application/json"},
    )

    assert response.status_code == 415
    assert response.json()["code"] == "bulk.not_ndjson"


async def test_an_overlong_line_is_refused_without_being_kept_and_the_next_line_still_counts():
    async def chunks():
        yield b'{"a": "' + b"x" * 30
        yield b"x" * 30 + b'"}\n{"short": 1}\n'
        yield b"tail"

    seen = [item async for item in bulk.lines(chunks(), max_line=40)]

    assert seen == [None, b'{"short": 1}', b"tail"]


def test_the_command_loads_a_file_reports_refused_lines_and_exits_non_zero(operator_env, tmp_path, capsys):
    source = tmp_path / "certificates.ndjson"
    source.write_bytes(ndjson(line("R-000041"), line("R-000042", status="lost"), line("R-000043")))
    refused = tmp_path / "refused.ndjson"

    with pytest.raises(SystemExit) as exit_code:
        cli.main(["certificates-load", str(source), "--report", str(refused)])

    assert exit_code.value.code == 1
    summary = {"accepted": 2, "unchanged": 0, "refused": 1, "last_committed_line": 3}
    assert json.loads(capsys.readouterr().out.splitlines()[-1]) == {"summary": summary}
    refusal, last = [json.loads(entry) for entry in refused.read_text().splitlines()]
    assert (refusal["line"], refusal["errors"][0]["field"]) == (2, "status") and last == {"summary": summary}

    cli.main(["certificates-load", str(source), "--from-line", "2", "--report", str(refused)])  # exit code 0

    assert json.loads(capsys.readouterr().out.splitlines()[-1]) == {
        "summary": {"accepted": 0, "unchanged": 1, "refused": 0, "last_committed_line": 3}
    }


async def test_a_control_character_anywhere_in_a_line_is_refused_naming_its_field_escaped_or_raw(
    api, session, registry
):
    escaped_in_the_name = json.dumps(line("R-000021", holder={**line("R")["holder"], "name": "王\u0001大海"}))
    escaped_in_a_value = json.dumps(line("R-000022", fields={**line("R")["fields"], "limitations": "无\u001b"}))
    escaped_in_a_key = json.dumps(line("R-000023", fields={**line("R")["fields"], "gra\u0007de": "x"}))
    raw_delete_in_the_number = json.dumps(line("R-000024", number="COC\x7f000024"), ensure_ascii=False)
    body = ndjson(
        line("R-000020"),
        escaped_in_the_name.encode(),
        escaped_in_a_value.encode(),
        escaped_in_a_key.encode(),
        raw_delete_in_the_number.encode(),
        line("R-000025", holder={**line("R")["holder"], "name": "王\\大海"}),  # a backslash is text
    )

    response = await api.post("/registry/certificates/bulk", content=body, headers=registry)

    refusals, summary = report(response.text)
    assert summary == {"accepted": 2, "unchanged": 0, "refused": 4, "last_committed_line": 6}
    assert {r["line"]: [(e["field"], e["code"]) for e in r["errors"]] for r in refusals} == {
        2: [("holder", "control_characters")],
        3: [("fields", "control_characters")],
        4: [("fields", "control_characters")],
        5: [("number", "control_characters")],
    }
    assert set(await stored(session)) == {"R-000020", "R-000025"}


async def test_a_batch_the_database_refuses_is_retried_line_by_line_and_only_the_conflicting_line_refused(
    app, session, settings, monkeypatch
):
    """A concurrent load took a number after the batch read what is stored: the upsert (COPY and
    all, on PostgreSQL, for a batch this size) fails, nothing of the batch stays, and its lines are
    applied one by one, the one whose number is taken refused."""
    from app.certificates import registry as registry_module

    pii = PersonalDataCipher(*settings.pii_keys)
    storage = app.state.adapters.storage

    async def first(body: bytes):
        yield body

    taken = await bulk.load(
        session, pii, storage, first(ndjson(line("R-TAKEN1", number="COCTAKEN1"))), on_refused=lambda refusal: None
    )
    assert taken.accepted == 1

    async def blind(session, newest):  # what a concurrent load committed meanwhile is not seen
        return []

    monkeypatch.setattr(registry_module, "_stored", blind)
    size = registry_module.COPY_FROM + 20
    lines = [line(f"R-{n:06d}") for n in range(1, size + 1)]
    lines[57] = line("R-CLASH1", number="COCTAKEN1")
    refused: list[bulk.Refusal] = []
    summary = await bulk.load(session, pii, storage, first(ndjson(*lines)), on_refused=refused.append)

    assert summary == bulk.Summary(accepted=size - 1, unchanged=0, refused=1, last_committed_line=size)
    assert [(refusal.line, refusal.registry_id, refusal.errors[0]["code"]) for refusal in refused] == [
        (58, "R-CLASH1", "bulk.conflict")
    ]
    now = await stored(session)
    assert len(now) == size and now["R-TAKEN1"] == (1, "COCTAKEN1") and "R-CLASH1" not in now
    assert await events(session) == size  # one per certificate written, none of the refused batch

    # The refused batch's savepoint took the stage it created with it: the next batch makes it again.
    monkeypatch.undo()
    more = [line(f"S-{n:06d}", number=f"COCS{n:06d}") for n in range(1, size + 1)]
    again = await bulk.load(session, pii, storage, first(ndjson(*more)), on_refused=refused.append)
    assert again == bulk.Summary(accepted=size, unchanged=0, refused=0, last_committed_line=size)
    assert len(await stored(session)) == 2 * size
