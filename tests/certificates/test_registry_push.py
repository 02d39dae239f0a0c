"""Certificates pushed by the authority's registry (issue #17, point 2): upsert by the
registry's own id and version, status at once for 亮证, scans and 证书查询, holders matched
now or when they register, events in the same transaction."""

from datetime import date

from sqlalchemy import func, select

from app.certificates.models import Certificate
from app.certificates.registry import apply_pushes
from app.certificates.schemas import CertificatePush
from app.core.pii import PersonalDataCipher
from app.outbox.models import OutboxEvent

SEAFARER_ID = "310101199001011234"


def coc_push(registry_id: str = "COC-0001", *, version: int = 1, status: str = "valid", **changes) -> dict:
    push = {
        "registry_id": registry_id,
        "source_version": version,
        "type_code": "SEAFARER_COC_SEA",
        "number": f"JSH112{registry_id[-4:]}2026",
        "status": status,
        "agency_code": "SH",
        "holder": {"kind": "person", "name": "王海生", "id_number": SEAFARER_ID},
        "issued_on": "2025-03-01",
        "expires_on": "2030-02-28",
        "fields": {
            "gender": "男",
            "birth_date": "1990-01-01",
            "nationality": "中国",
            "department": "甲板部",
            "capacity": "大副",
            "grade": "3000总吨及以上",
            "navigation_area": "无限航区",
            "limitations": "无",
        },
    }
    push.update(changes)
    return push


async def test_a_batch_is_written_in_a_few_statements_and_announced(session, settings):
    pii = PersonalDataCipher(*settings.pii_keys)
    pushes = [CertificatePush.model_validate(coc_push(f"COC-{n:04d}")) for n in range(50)]
    outcomes = await apply_pushes(session, pii, pushes)
    assert [o.created for o in outcomes] == [True] * 50
    assert not any(o.holder_matched for o in outcomes)
    stored = await session.scalar(select(func.count()).select_from(Certificate).where(Certificate.registry_id.like("COC-%")))
    assert stored == 50
    await session.flush()
    events = await session.scalar(select(func.count()).select_from(OutboxEvent).where(OutboxEvent.type == "certificate.issued"))
    assert events == 50

    again = await apply_pushes(session, pii, pushes[:1] + [CertificatePush.model_validate(coc_push("COC-0001", version=2, status="revoked"))])
    assert again[0].applied is True and again[0].created is False
    assert again[1].applied and again[1].status == "revoked"
    row = await session.scalar(select(Certificate).where(Certificate.registry_id == "COC-0001"))
    await session.refresh(row)
    assert row.revoked_at is not None and row.source_version == 2
