"""A list reads only what its entries show, in one row per application."""

import pytest

from app.applications import repository
from tests.support.applying import login, submitted_application


async def test_a_list_entry_holds_what_my_applications_shows_and_nothing_else(api, session):
    corp = await login(api, "demo-corp")
    submitted = await submitted_application(api, corp, "WF-002")
    applicant_id = (await api.get("/me", headers=corp)).json()["id"]

    everything = repository.Narrowing({})
    page = await repository.applicant_page(session, applicant_id, everything, cursor=None, limit=100)
    entry = next(row for row in page if row.id == submitted["id"])

    shown = (submitted["item"]["label"], submitted["agency"]["name"])
    assert (entry.item_name, entry.agency_name) == shown
    assert (entry.after_submit, entry.evaluated, entry.has_notices) == (submitted["after_submit"], False, False)
    # The form and the item's guide are JSON documents: decoding them for every row of a page was
    # most of its cost, so they are not read at all.
    for absent in ("form", "guide", "contact_phone_encrypted", "agency_address"):
        with pytest.raises(AttributeError, match=absent):
            getattr(entry, absent)
