"""Certificates pushed by the authority's registry (issue #17, point 2): upsert by the
registry's own id and version, status at once for 亮证, scans and 证书查询, holders matched
now or when they register, events in the same transaction."""

import base64

import pytest
from sqlalchemy import event, func, select

from app.certificates.models import Certificate, CertificateScan
from app.certificates.registry import COPY_FROM, apply_pushes, holder_key, push_digest
from app.certificates.schemas import CertificatePush
from app.core.auth import Scope
from app.core.config import Settings
from app.core.pii import PersonalDataCipher
from app.integrations.certificate_registry.none import NoCertificateRegistry
from app.integrations.factory import build_adapters
from app.outbox.models import OutboxEvent
from tests.support.certificates import COC, new_seafarer, scan, signed_in
from tests.support.people import bearer, citizen, corporate_registration, credit_code, register_citizen
from tests.support.registry import coc_push, push, registry_client

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)


@pytest.fixture
def push_mode(app):
    """CERTIFICATE_REGISTRY=push: the registry is asked nothing, it pushes."""
    app.state.adapters.certificate_registry = NoCertificateRegistry()


@pytest.fixture
async def registry(session, settings) -> dict:
    return await registry_client(session, settings)


@pytest.fixture
async def officer(api) -> dict:
    return await signed_in(api, "demo-officer")


async def _events(session, subject_id: str | None = None) -> list[OutboxEvent]:
    await session.flush()
    statement = select(OutboxEvent).where(OutboxEvent.type.like("certificate.%")).order_by(OutboxEvent.id)
    if subject_id is not None:
        statement = statement.where(OutboxEvent.subject_id == subject_id)
    return list(await session.scalars(statement))


async def _lookup(api, number: str, name: str) -> dict:
    response = await api.post("/public/certificate-lookup", json={"certificate_no": number, "holder_name": name})
    assert response.status_code == 200, response.text
    return response.json()


async def _wallet(api, headers: dict) -> list[dict]:
    response = await api.get("/me/certificates", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def test_a_pushed_certificate_is_shown_scanned_found_and_then_revoked_everywhere(
    push_mode, api, session, registry, officer
):
    seafarer = await new_seafarer(api)
    body = coc_push(seafarer.person, number="JSH1122026000101")

    pushed = await push(api, registry, "COC-E2E-1", body)

    assert pushed.status_code == 201, pushed.text
    result = pushed.json()
    assert result | {"certificate_id": None} == {
        "registry_id": "COC-E2E-1",
        "certificate_id": None,
        "source_version": 1,
        "applied": True,
        "holder_matched": True,
        "status": "valid",
    }
    # 我的证照: the holder sees it at once.
    coc = await seafarer.certificate(api, COC)
    assert coc["id"] == result["certificate_id"] and coc["number"] == "JSH1122026000101"
    assert coc["status"]["code"] == "valid" and coc["allowed_actions"] == ["display", "correct"]
    assert coc["agency"]["code"] == "SH" and coc["expires_on"] == "2030-02-28"
    # 亮证, and the officer's scan verifies it.
    shown = await seafarer.show(api, coc["id"])
    scanned = await scan(api, officer, shown["token"])
    assert scanned.status_code == 200, scanned.text
    assert scanned.json()["status"]["code"] == "valid"
    assert scanned.json()["holder_name"] == seafarer.person["name"]
    # 证书查询 finds it by number and the printed name.
    found = await _lookup(api, "JSH1122026000101", seafarer.person["name"])
    assert found["status"] == {"code": "valid", "label": "有效"}

    # The registry revokes it.
    revoked = await push(api, registry, "COC-E2E-1", coc_push(seafarer.person, number="JSH1122026000101", version=2, status="revoked"))

    assert revoked.status_code == 200, revoked.text
    assert revoked.json() == result | {"source_version": 2, "status": "revoked"}
    card = (await _wallet(api, seafarer.headers))[0]
    assert card["status"] == {"code": "revoked", "label": "已注销"} and card["allowed_actions"] == []
    refused = await api.post(f"/me/certificates/{coc['id']}/display-token", headers=seafarer.headers)
    assert refused.status_code == 409 and refused.json()["code"] == "certificate.revoked"
    # The token shown before the revocation scans as revoked.
    rescanned = await scan(api, officer, shown["token"])
    assert rescanned.status_code == 409 and rescanned.json()["code"] == "certificate.revoked"
    results = await session.scalars(
        select(CertificateScan.result).where(CertificateScan.certificate_id == coc["id"]).order_by(CertificateScan.scanned_at)
    )
    assert list(results) == ["verified", "revoked"]
    assert (await _lookup(api, "JSH1122026000101", seafarer.person["name"]))["status"] == {"code": "revoked", "label": "已注销"}

    # Announced in the same transactions: issued, then the status change; never the ID number or name.
    events = await _events(session, coc["id"])
    assert [(e.type, e.agency_code) for e in events] == [("certificate.issued", "SH"), ("certificate.status_changed", "SH")]
    assert events[1].data == {
        "id": coc["id"],
        "registry_id": "COC-E2E-1",
        "type_code": COC,
        "number": "JSH1122026000101",
        "agency_code": "SH",
        "status": "revoked",
        "previous_status": "valid",
        "source_version": 2,
        "holder_matched": True,
    }
    text = str([e.data for e in events])
    assert seafarer.person["id_number"] not in text and seafarer.person["name"] not in text


async def test_a_suspended_certificate_cannot_be_shown_and_its_earlier_token_scans_as_suspended(
    push_mode, api, session, registry, officer
):
    seafarer = await new_seafarer(api)
    await push(api, registry, "COC-SUSP-1", coc_push(seafarer.person, number="JSH1122026000201"))
    coc = await seafarer.certificate(api, COC)
    shown = await seafarer.show(api, coc["id"])

    suspended = await push(api, registry, "COC-SUSP-1", coc_push(seafarer.person, number="JSH1122026000201", version=2, status="suspended"))

    assert suspended.json()["status"] == "suspended"
    card = (await _wallet(api, seafarer.headers))[0]
    assert card["status"] == {"code": "suspended", "label": "已暂扣"} and card["allowed_actions"] == ["correct"]
    refused = await api.post(f"/me/certificates/{coc['id']}/display-token", headers=seafarer.headers)
    assert refused.status_code == 409 and refused.json()["code"] == "certificate.not_displayable"
    rescanned = await scan(api, officer, shown["token"])
    assert rescanned.status_code == 409 and rescanned.json()["code"] == "certificate.suspended"
    assert (await _lookup(api, "JSH1122026000201", seafarer.person["name"]))["status"]["label"] == "已暂扣"
    (event,) = [e for e in await _events(session, coc["id"]) if e.type == "certificate.status_changed"]
    assert (event.data["previous_status"], event.data["status"]) == ("valid", "suspended")


async def test_the_registrys_expired_status_holds_whatever_the_dates_say(push_mode, api, registry):
    seafarer = await new_seafarer(api)
    await push(api, registry, "COC-EXP-1", coc_push(seafarer.person, number="JSH1122026000301", status="expired"))

    card = (await _wallet(api, seafarer.headers))[0]

    assert card["expires_on"] == "2030-02-28"
    assert card["status"]["code"] == "expired" and "display" not in card["allowed_actions"]


async def test_a_certificate_for_someone_not_registered_waits_and_is_theirs_when_they_register(
    push_mode, api, session, registry
):
    person = citizen()
    pushed = await push(api, registry, "COC-PENDING-1", coc_push(person, number="JSH1122026000401"))
    assert pushed.status_code == 201 and pushed.json()["holder_matched"] is False
    stored = await api.get("/registry/certificates/COC-PENDING-1", headers=registry)
    assert stored.json()["holder"] == {"kind": "person", "name": person["name"], "matched": False}

    _, tokens = await register_citizen(api, person)

    (card,) = await _wallet(api, bearer(tokens))
    assert card["id"] == pushed.json()["certificate_id"] and card["number"] == "JSH1122026000401"
    assert (await api.get("/registry/certificates/COC-PENDING-1", headers=registry)).json()["holder"]["matched"]
    claimed = (await _events(session, card["id"]))[-1]
    assert claimed.type == "certificate.updated" and claimed.data["holder_matched"] is True
    # Someone else registering claims nothing of it.
    _, other = await register_citizen(api)
    assert await _wallet(api, bearer(other)) == []


async def test_a_company_finds_the_certificates_pushed_for_its_credit_code_when_it_registers(
    push_mode, api, registry
):
    code = credit_code()
    ship_certificate = {
        "source_version": 1,
        "type_code": "SHIP_NATIONALITY",
        "number": "2026SH000777",
        "status": "valid",
        "agency_code": "SH",
        "holder": {"kind": "organisation", "name": "上海示例船务有限公司", "credit_code": code},
        "issued_on": "2026-01-05",
        "expires_on": None,
        "fields": {
            "ship_name": "海港新星",
            "ship_id": "CN20260001234",
            "port_of_registry": "上海",
            "ship_type": "散货船",
            "gross_tonnage": "1200",
            "net_tonnage": "700",
            "owner": "上海示例船务有限公司",
        },
    }
    assert (await push(api, registry, "SHIP-NAT-1", ship_certificate)).json()["holder_matched"] is False

    registered = await api.post("/auth/register/corporate", json=corporate_registration(credit_code=code))
    assert registered.status_code == 201, registered.text

    (card,) = await _wallet(api, bearer(registered.json()))
    # A company's name is printed in full; the pushed name is the one on the certificate.
    assert card["holder_name"] == "上海示例船务有限公司" and card["type"]["code"] == "SHIP_NATIONALITY"


async def test_an_older_version_never_overwrites_and_is_answered_with_the_stored_one(push_mode, api, session, registry):
    seafarer = await new_seafarer(api)
    newer = coc_push(seafarer.person, number="JSH1122026000501", version=5, fields={**coc_push(seafarer.person)["fields"], "capacity": "船长"})
    first = (await push(api, registry, "COC-OLD-1", newer)).json()
    before = (await api.get("/registry/certificates/COC-OLD-1", headers=registry)).json()

    older = await push(api, registry, "COC-OLD-1", coc_push(seafarer.person, number="JSH1122026000501", version=4, status="revoked"))

    assert older.status_code == 200
    assert older.json() == first | {"applied": False}
    assert (await api.get("/registry/certificates/COC-OLD-1", headers=registry)).json() == before
    assert before["fields"]["capacity"] == "船长" and before["status"] == "valid" and before["source_version"] == 5
    assert [e.type for e in await _events(session, first["certificate_id"])] == ["certificate.issued"]


async def test_the_same_push_twice_changes_nothing_and_answers_the_same(push_mode, api, session, registry):
    seafarer = await new_seafarer(api)
    body = coc_push(seafarer.person, number="JSH1122026000601")
    first = await push(api, registry, "COC-TWICE-1", body)
    stored = (await api.get("/registry/certificates/COC-TWICE-1", headers=registry)).json()

    again = await push(api, registry, "COC-TWICE-1", body)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert (await api.get("/registry/certificates/COC-TWICE-1", headers=registry)).json() == stored
    assert len(await _events(session, first.json()["certificate_id"])) == 1
    # The same version with other content is a registry error, not a resend.
    changed = await push(api, registry, "COC-TWICE-1", body | {"status": "suspended"})
    assert changed.status_code == 409 and changed.json()["code"] == "registry.version_conflict"


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"ship_name": "海港新星"}, "ship_name"),  # not a field of the type
        ({"capacity": None}, "capacity"),  # a required field left out
        ({"capacity": "厨师"}, "capacity"),  # not one of the type's choices
        ({"birth_date": "1990-02-30"}, "birth_date"),  # no such day
    ],
)
async def test_fields_that_do_not_fit_the_type_are_refused_naming_the_key_and_nothing_is_written(
    push_mode, api, session, registry, fields, named
):
    body = coc_push(citizen(), number="JSH1122026000701")
    body["fields"] = {key: value for key, value in (body["fields"] | fields).items() if value is not None}

    response = await push(api, registry, "COC-BAD-1", body)

    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert error["loc"] == ["body", "fields"] and named in error["msg"]
    assert (await api.get("/registry/certificates/COC-BAD-1", headers=registry)).status_code == 404
    assert await _events(session) == []


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"agency_code": "XX"}, 422, "validation_failed"),
        ({"type_code": "RESULT_DOCUMENT"}, 422, "validation_failed"),
        ({"number": "JSH1122026000001"}, 409, "registry.number_taken"),  # another certificate's
        ({"expires_on": "2024-01-01"}, 422, "validation_failed"),  # before it was issued
        ({"photo": base64.b64encode(b"GIF89a" + bytes(32)).decode()}, 422, "validation_failed"),
        ({"photo": base64.b64encode(PNG + bytes(200 * 1024)).decode()}, 422, "validation_failed"),
    ],
)
async def test_refused_pushes_leave_nothing_written(push_mode, api, session, registry, change, status, code):
    await push(api, registry, "COC-OTHER-1", coc_push(citizen(), number="JSH1122026000001"))
    holder = {"kind": "person", "name": "李四", "id_number": citizen()["id_number"]}

    response = await push(api, registry, "COC-REFUSED-1", coc_push(citizen(), holder=holder) | change | {"number": change.get("number", "JSH1122026000801")})

    assert response.status_code == status, response.text
    assert response.json()["code"] == code
    assert (await api.get("/registry/certificates/COC-REFUSED-1", headers=registry)).status_code == 404
    assert [e.type for e in await _events(session)] == ["certificate.issued"]  # COC-OTHER-1's only


async def test_an_organisation_is_identified_by_its_credit_code_and_a_person_by_an_id_number(push_mode, api, registry):
    person = citizen()
    wrong = coc_push(person, holder={"kind": "organisation", "name": "某公司", "id_number": person["id_number"]})

    response = await push(api, registry, "COC-HOLDER-1", wrong)

    assert response.status_code == 422
    assert "统一社会信用代码" in response.json()["detail"]


async def test_the_holders_photo_is_shown_to_the_holder_and_to_the_officer(push_mode, api, registry, officer):
    seafarer = await new_seafarer(api)
    body = coc_push(seafarer.person, number="JSH1122026000901", photo=base64.b64encode(PNG).decode())
    assert (await push(api, registry, "COC-PHOTO-1", body)).status_code == 201

    coc = await seafarer.certificate(api, COC)
    seen = (await scan(api, officer, (await seafarer.show(api, coc["id"]))["token"])).json()

    expected = "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert coc["photo"] == expected and seen["photo"] == expected
    assert (await api.get("/registry/certificates/COC-PHOTO-1", headers=registry)).json()["has_photo"] is True


async def test_what_is_read_back_for_reconciliation_holds_no_id_number(push_mode, api, registry):
    person = citizen()
    await push(api, registry, "COC-READ-1", coc_push(person, number="JSH1122026001001"))

    stored = await api.get("/registry/certificates/COC-READ-1", headers=registry)

    assert stored.status_code == 200
    assert stored.json()["number"] == "JSH1122026001001" and stored.json()["source_version"] == 1
    assert person["id_number"] not in stored.text
    missing = await api.get("/registry/certificates/COC-NONE", headers=registry)
    assert missing.status_code == 404 and missing.json()["code"] == "registry.certificate_not_found"


async def test_a_client_without_the_scope_cannot_push(push_mode, api, session, settings):
    reader = await registry_client(session, settings, scopes=[Scope.applications_read])

    response = await push(api, reader, "COC-SCOPE-1", coc_push(citizen()))

    assert response.status_code == 403 and response.json()["code"] == "auth.insufficient_scope"


async def test_a_batch_is_one_set_of_statements_and_the_newest_line_of_a_certificate_wins(session, settings):
    pii = PersonalDataCipher(*settings.pii_keys)
    person = citizen()
    lines = [
        CertificatePush.model_validate({"registry_id": f"COC-BATCH-{n}", **coc_push(person, number=f"JSH11220261{n:05d}")})
        for n in range(40)
    ]
    repeated = CertificatePush.model_validate(
        {"registry_id": "COC-BATCH-0", **coc_push(person, number="JSH1122026100000", version=2, status="revoked")}
    )
    statements = []

    def listener(_connection, _cursor, statement, *_):
        if not statement.startswith(("SAVEPOINT", "RELEASE")):
            statements.append(statement)

    engine = session.get_bind().engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        outcomes = await apply_pushes(session, pii, [*lines, repeated])
    finally:
        event.remove(engine, "before_cursor_execute", listener)

    assert [o.created for o in outcomes[1:40]] == [True] * 39
    assert outcomes[0].applied is False and outcomes[40].applied is True and outcomes[40].status == "revoked"
    stored = await session.scalar(select(func.count()).select_from(Certificate).where(Certificate.registry_id.like("COC-BATCH-%")))
    assert stored == 40
    # Stored rows, agencies, holders, one upsert, the events: no statement per certificate (on
    # PostgreSQL the events go by COPY, on the driver's connection: no statement of SQLAlchemy's).
    assert len(statements) == (4 if session.get_bind().dialect.name == "postgresql" else 5), statements
    events = await session.scalar(
        select(func.count()).select_from(OutboxEvent).where(OutboxEvent.type == "certificate.issued")
    )
    assert events == 40


@pytest.mark.parametrize("size", [COPY_FROM - 1, 2 * COPY_FROM])
async def test_on_postgresql_a_batch_binds_one_array_per_column_not_a_parameter_per_certificate(session, settings, size):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite has no arrays: its IN lists are the way there")
    pii = PersonalDataCipher(*settings.pii_keys)
    person = citizen()
    lines = [
        CertificatePush.model_validate({"registry_id": f"COC-ARRAY-{n}", **coc_push(person, number=f"JSH11220262{n:05d}")})
        for n in range(size)
    ]
    bound = []

    def listener(_connection, _cursor, statement, parameters, *_):
        if not statement.startswith(("SAVEPOINT", "RELEASE")):
            bound.append(len(parameters))

    engine = session.get_bind().engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        outcomes = await apply_pushes(session, pii, lines)
    finally:
        event.remove(engine, "before_cursor_execute", listener)

    assert all(outcome.created for outcome in outcomes)
    # What is stored (by registry id or number), the agencies, the holders, then the upsert: each a
    # few arrays, however large the batch — a bulk load's 2,000 lines are not 4,000 parameters.
    # The events go by COPY; so do the rows of a batch of COPY_FROM or more, which the upsert
    # then reads from the stage: neither is a statement of SQLAlchemy's.
    assert len(bound) == (3 if size >= COPY_FROM else 4) and max(bound) <= 25, bound
    stored = await session.execute(
        select(Certificate.registry_id, Certificate.fields, Certificate.holder_key, Certificate.push_digest)
        .where(Certificate.registry_id.like("COC-ARRAY-%"))
        .order_by(Certificate.registry_id)
    )
    expected = sorted(lines, key=lambda line: line.registry_id)
    for row, line in zip(stored, expected, strict=True):
        assert row.registry_id == line.registry_id and row.fields == line.fields
        assert row.push_digest == push_digest(pii, line) and row.holder_key == holder_key(pii, line.holder)
    events = await session.execute(
        select(OutboxEvent.subject_id, OutboxEvent.data).where(OutboxEvent.type == "certificate.issued")
    )
    announced = {subject: data for subject, data in events if data["registry_id"].startswith("COC-ARRAY-")}
    assert {outcome.certificate_id for outcome in outcomes} == set(announced)
    assert all(data["holder_matched"] is False and data["source_version"] == 1 for data in announced.values())


def test_with_the_push_registry_no_demo_certificates_are_invented(tmp_path):
    settings = Settings(certificate_registry="push", data_dir=tmp_path)
    adapters = build_adapters(settings, sessionmaker=None)

    assert isinstance(adapters.certificate_registry, NoCertificateRegistry)


def test_a_push_digest_is_the_one_of_the_json_text_digests_were_always_made_of(settings):
    """Digests stored before are compared with new pushes' (a resend must be recognised): the
    text written out by push_digest is the json.dumps text of the same document, to the byte."""
    import json

    from app.certificates.registry import PUSH_DIGEST

    pii = PersonalDataCipher(*settings.pii_keys)
    person = citizen()
    plain = CertificatePush.model_validate({"registry_id": "COC-DIGEST-1", **coc_push(person, number="JSH1122026300001")})
    odd = plain.model_copy(
        update={"number": 'JSH"1\\2\u2028中', "photo": "/9j/4AAQ", "expires_on": None, "fields": {**plain.fields, "z": '"\\'}}
    )
    odd.holder = odd.holder.model_copy(update={"name": '王"大\\海'})
    for pushed in (plain, odd):
        holder = pushed.holder
        document = [
            pushed.source_version, pushed.type_code, pushed.number, pushed.status, pushed.agency_code, holder.kind,
            holder.name, holder.id_number, holder.credit_code, pushed.issued_on.isoformat(),
            pushed.expires_on.isoformat() if pushed.expires_on else None, sorted(pushed.fields.items()), pushed.photo,
        ]  # fmt: skip
        expected = pii.blind_index(json.dumps(document, ensure_ascii=False), purpose=PUSH_DIGEST)
        assert push_digest(pii, pushed) == expected


def test_the_ids_of_a_batch_are_uuidv7_in_order_between_the_ids_made_before_and_after():
    import uuid

    from app.core.db import new_id
    from app.outbox.service import time_ordered_ids

    ids = [new_id(), *time_ordered_ids(5000), new_id(), *time_ordered_ids(3), new_id()]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert all(uuid.UUID(value).version == 7 and uuid.UUID(value).variant == uuid.RFC_4122 for value in ids)
    assert time_ordered_ids(0) == []
