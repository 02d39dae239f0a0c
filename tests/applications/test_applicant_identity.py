"""办件详情 shows staff who applied, in full (a person's name and ID number; a company's or ship
operator's name, 统一社会信用代码 and 经办人), and records that the identity was shown without
writing it into the trail. The applicant's own views and every list stay without it."""

from sqlalchemy import event, select

from app.audit.models import AuditEvent
from tests.support.applying import submitted_application
from tests.support.people import bearer, corporate_registration, register_citizen, register_company


async def _identity_view(session, application_id: str) -> AuditEvent:
    return (
        await session.scalars(
            select(AuditEvent)
            .where(AuditEvent.event == "application.personal_data_view", AuditEvent.object_id == application_id)
            .order_by(AuditEvent.occurred_at.desc())
        )
    ).first()


async def test_staff_see_a_persons_name_and_id_number_and_the_view_is_audited(api, staff, session):
    person, tokens = await register_citizen(api)
    application = await submitted_application(api, bearer(tokens), "TH-001")

    seen = (await api.get(f"/staff/applications/{application['id']}", headers=staff)).json()

    assert seen["applicant"] == {
        "account_type": {"code": "personal", "label": "个人用户"},
        "name": person["name"],
        "id_number": person["id_number"],
        "company_name": None,
        "credit_code": None,
        "operator_name": None,
        "operator_id_number": None,
    }
    view = await _identity_view(session, application["id"])
    assert view.detail == {"shown": ["identity", "contact"], "account_type": "personal"}
    assert person["id_number"] not in str(view.detail) and person["name"] not in str(view.detail)


async def test_staff_see_a_companys_name_credit_code_and_its_operator(api, staff, session):
    registration, tokens = await register_company(api)
    application = await submitted_application(api, bearer(tokens), "WF-002")

    seen = (await api.get(f"/staff/applications/{application['id']}", headers=staff)).json()

    assert seen["applicant"] == {
        "account_type": {"code": "company", "label": "法人用户"},
        "name": None,
        "id_number": None,
        "company_name": registration["company_name"],
        "credit_code": registration["credit_code"],
        "operator_name": registration["operator_name"],
        "operator_id_number": registration["operator_id_number"],
    }
    view = await _identity_view(session, application["id"])
    assert view.detail == {"shown": ["identity", "contact"], "account_type": "company"}
    assert registration["operator_id_number"] not in str(view.detail)


async def test_a_ship_accounts_application_is_labelled_as_a_ship_user(api, staff):
    registration = corporate_registration(kind="ship", company_name="上海示例船务有限公司")
    tokens = (await api.post("/auth/register/corporate", json=registration)).json()
    application = await submitted_application(api, bearer(tokens), "TH-001")

    applicant = (await api.get(f"/staff/applications/{application['id']}", headers=staff)).json()["applicant"]

    assert applicant["account_type"] == {"code": "ship", "label": "船舶用户"}
    assert (applicant["company_name"], applicant["credit_code"]) == (
        "上海示例船务有限公司",
        registration["credit_code"],
    )
    assert (applicant["operator_name"], applicant["operator_id_number"]) == (
        registration["operator_name"],
        registration["operator_id_number"],
    )


async def test_a_decision_answers_with_the_identity_too(api, staff):
    person, tokens = await register_citizen(api)
    application = await submitted_application(api, bearer(tokens), "TH-001")

    accepted = await api.post(
        f"/staff/applications/{application['id']}/decisions", json={"action": "accept"}, headers=staff
    )

    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["applicant"]["id_number"] == person["id_number"]


async def test_the_applicants_own_views_and_the_lists_never_carry_the_identity(api, staff):
    person, tokens = await register_citizen(api)
    mine = bearer(tokens)
    application = await submitted_application(api, mine, "TH-001")

    own = (await api.get(f"/applications/{application['id']}", headers=mine)).json()
    my_list = (await api.get("/me/applications", headers=mine)).json()["items"]
    queue = (await api.get("/staff/applications", params={"limit": 100}, headers=staff)).json()["items"]

    assert "applicant" not in application and "applicant" not in own
    assert my_list and all("applicant" not in entry for entry in my_list)
    assert queue and all("applicant" not in entry for entry in queue)
    for body in (own, my_list, queue):
        assert person["id_number"] not in str(body)


async def test_the_identity_costs_one_query_whatever_the_account(api, staff, engine):
    person_tokens = (await register_citizen(api))[1]
    company_tokens = (await register_company(api))[1]
    applications = [
        await submitted_application(api, bearer(person_tokens), "TH-001"),
        await submitted_application(api, bearer(company_tokens), "WF-002"),
    ]
    seen: list[str] = []

    def record(_connection, _cursor, statement, *_rest) -> None:
        seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        for application in applications:
            seen.clear()
            response = await api.get(f"/staff/applications/{application['id']}", headers=staff)
            assert response.status_code == 200
            profiles = [s for s in seen if "personal_profiles" in s or "corporate_profiles" in s]
            assert len(profiles) == 1, profiles
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
