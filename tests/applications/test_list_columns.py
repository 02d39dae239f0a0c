"""A list loads only what its entries show; a column it left out is refused by name."""

import pytest
from sqlalchemy.exc import InvalidRequestError

from app.applications import repository
from tests.support.applying import login, submitted_application


async def test_reading_a_column_the_list_did_not_load_names_the_column(api, session):
    corp = await login(api, "demo-corp")
    submitted = await submitted_application(api, corp, "WF-002")
    applicant_id = (await api.get("/me", headers=corp)).json()["id"]
    session.expunge_all()  # what the requests above loaded in full is forgotten

    page = await repository.applicant_page(session, applicant_id, [], cursor=None, limit=100)
    application = next(row for row in page if row.id == submitted["id"])

    assert application.item.name and application.agency.name  # what 我的办件 shows is there
    # The rest raises an error naming the attribute, not MissingGreenlet (an anonymous 500).
    with pytest.raises(InvalidRequestError, match=r"'ServiceItem\.guide' is not available due to raiseload"):
        _ = application.item.guide
    with pytest.raises(InvalidRequestError, match=r"'Agency\.address' is not available due to raiseload"):
        _ = application.agency.address
    with pytest.raises(InvalidRequestError, match=r"'Application\.form' is not available due to raiseload"):
        _ = application.form
