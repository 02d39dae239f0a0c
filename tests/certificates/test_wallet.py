"""我的证照 (manual §3.3.4): what a seafarer finds after registering, and the documents that
approved applications put into a wallet."""

from datetime import UTC, date, datetime, timedelta

import pytest

from app.certificates import service
from app.certificates.models import Certificate
from app.integrations.certificate_registry.none import NoCertificateRegistry
from tests.support.certificates import COC, PASSPORT, issue_document, new_seafarer, signed_in
from tests.support.people import bearer, register_citizen


async def test_a_new_seafarer_finds_the_registrys_certificates_issued_in_their_name(api):
    seafarer = await new_seafarer(api)

    wallet = (await api.get("/me/certificates", headers=seafarer.headers)).json()

    by_type = {card["type"]["code"]: card for card in wallet["items"]}
    assert set(by_type) == {COC, PASSPORT}
    name = seafarer.person["name"]
    coc, passport = by_type[COC], by_type[PASSPORT]
    assert coc["type"]["label"] == coc["title"] == "中华人民共和国海船船员适任证书"
    assert coc["holder_name"] == passport["holder_name"] == name[0] + "*" + name[-1]
    assert coc["agency"]["code"] == "SH" and passport["agency"]["code"] == "CN"
    assert coc["status"] == {"code": "valid", "label": "有效"}
    assert passport["status"] == {"code": "expiring", "label": "即将到期"}
    assert coc["allowed_actions"] == passport["allowed_actions"] == ["display", "correct"]
    assert passport["number"][0] == "A" and len(passport["number"]) == 9
    assert wallet["next_cursor"] is None


async def test_the_detail_shows_the_type_fields_what_may_be_corrected_and_no_scans_yet(api):
    seafarer = await new_seafarer(api)

    coc = await seafarer.certificate(api, COC)

    fields = {field["label"]: field["value"] for field in coc["fields"]}
    assert fields["职务"] == "大副" and fields["等级"] == "3000总吨及以上"
    assert fields["航区"] == "无限航区" and fields["适用限制"] == "无"
    assert fields["出生日期"] == "-".join(
        (
            seafarer.person["id_number"][6:10],
            seafarer.person["id_number"][10:12],
            seafarer.person["id_number"][12:14],
        )
    )
    correctable = {field["key"]: field for field in coc["correctable_fields"]}
    assert correctable["navigation_area"]["choices"] == ["无限航区", "沿海航区"]
    assert correctable["limitations"]["choices"] is None
    assert coc["scans"] == [] and coc["application_id"] is None
    assert "id_number" not in str(coc) and seafarer.person["id_number"] not in str(coc)


async def test_the_wallet_filters_by_type(api):
    seafarer = await new_seafarer(api)

    passports = (
        await api.get("/me/certificates", params={"type": PASSPORT}, headers=seafarer.headers)
    ).json()
    unknown = await api.get("/me/certificates", params={"type": "NO_SUCH_TYPE"}, headers=seafarer.headers)

    assert [card["type"]["code"] for card in passports["items"]] == [PASSPORT]
    assert unknown.status_code == 422


async def test_an_approved_applications_result_document_appears_in_the_applicants_wallet(api, session):
    corporate = await signed_in(api, "demo-corp")
    me = (await api.get("/me", headers=corporate)).json()

    # 01:00 on 1 March in Beijing, still 28 February in UTC: the document is dated in China.
    issued = await issue_document(
        session, me["id"], "TH-2026-000123", datetime(2026, 2, 28, 17, 0, tzinfo=UTC)
    )
    detail = (await api.get(f"/me/certificates/{issued.id}", headers=corporate)).json()

    assert detail["type"] == {"code": "RESULT_DOCUMENT", "label": "办件结果文书"}
    assert detail["title"] == "准予划定的许可决定书" and detail["number"] == "TH-2026-000123"
    assert detail["holder_name"] == "上海海港示例航运有限公司"  # a company's name is not masked
    assert detail["issued_on"] == "2026-03-01" and detail["expires_on"] is None
    assert detail["status"]["code"] == "valid" and detail["allowed_actions"] == []
    assert detail["agency"]["code"] == "SH-PD"
    assert detail["item_code"] == "TH-001" and detail["application_id"] == issued.application_id
    assert detail["fields"] == [
        {"key": "item_name", "label": "办理事项", "value": "沿海水域划定禁航区和安全作业区审批"}
    ]
    assert detail["correctable_fields"] == []


async def test_the_wallet_is_newest_first_and_pages_walk_every_certificate_once(api, session):
    seafarer = await new_seafarer(api)
    for day in (1, 2, 3):
        await issue_document(
            session, seafarer.user_id, f"WF-2026-00000{day}", datetime(2026, 6, day, 2, tzinfo=UTC)
        )
    all_at_once = (await api.get("/me/certificates", headers=seafarer.headers)).json()["items"]

    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await api.get("/me/certificates", params=params, headers=seafarer.headers)).json()
        seen += [card["id"] for card in page["items"]]
        if not (cursor := page["next_cursor"]):
            break

    issued = [card["issued_on"] for card in all_at_once]
    assert issued == sorted(issued, reverse=True) and len(issued) == 5
    assert seen == [card["id"] for card in all_at_once]


async def test_without_a_connected_registry_a_new_user_starts_with_an_empty_wallet(app, api):
    app.state.adapters.certificate_registry = NoCertificateRegistry()

    _, tokens = await register_citizen(api)

    assert (await api.get("/me/certificates", headers=bearer(tokens))).json()["items"] == []


async def test_someone_elses_certificate_does_not_exist_for_me(api):
    owner, other = await new_seafarer(api), await new_seafarer(api)
    theirs = await owner.certificate(api, COC)
    path = f"/me/certificates/{theirs['id']}"

    responses = [
        await api.get(path, headers=other.headers),
        await api.post(f"{path}/display-token", headers=other.headers),
        await api.post(
            f"{path}/corrections",
            json={"field": "navigation_area", "proposed_value": "沿海航区", "reason": "航区填写错误"},
            headers=other.headers,
        ),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404]
    assert {r.json()["code"] for r in responses} == {"certificate.not_found"}
    assert theirs["id"] not in str((await api.get("/me/certificates", headers=other.headers)).json())


async def test_the_wallet_needs_a_signed_in_user(api):
    response = await api.get("/me/certificates")

    assert response.status_code == 401
    assert response.json()["code"] == "auth.not_authenticated"


TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("expires_on", "revoked", "status"),
    [
        (None, False, "valid"),
        (TODAY + timedelta(days=91), False, "valid"),
        (TODAY + timedelta(days=90), False, "expiring"),
        (TODAY, False, "expiring"),
        (TODAY - timedelta(days=1), False, "expired"),
        (TODAY + timedelta(days=400), True, "revoked"),
    ],
)
def test_the_status_follows_from_the_dates_and_the_revocation(expires_on, revoked, status):
    certificate = Certificate(
        expires_on=expires_on, revoked_at=datetime(2026, 1, 1, tzinfo=UTC) if revoked else None
    )

    assert service.status_of(certificate, TODAY) == status
