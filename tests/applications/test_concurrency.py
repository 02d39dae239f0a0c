"""Races: of two changes to one application, exactly one lands; retries with a key act once."""

import asyncio

import pytest

from tests.support.applying import filled_draft, login, submitted_application


@pytest.fixture
async def both(two_workers):
    _, (first, second) = two_workers
    corp_first, corp_second = await login(first, "demo-corp"), await login(second, "demo-corp")
    return first, second, corp_first, corp_second


async def test_two_concurrent_submits_make_one_transition(both):
    first, second, corp_first, corp_second = both
    draft = (
        await first.post(
            "/applications", json=await filled_draft(first, corp_first, "WF-002"), headers=corp_first
        )
    ).json()
    url = f"/applications/{draft['id']}/submit"

    results = await asyncio.gather(first.post(url, headers=corp_first), second.post(url, headers=corp_second))

    assert sorted(r.status_code for r in results) == [200, 409]
    final = (await first.get(f"/applications/{draft['id']}", headers=corp_first)).json()
    assert [e["action"]["code"] for e in final["timeline"]] == ["submit"]


async def test_a_cancel_racing_an_acceptance_ends_with_one_of_them(both):
    first, second, corp_first, _ = both
    staff = await login(second, "demo-staff-sh")
    application = await submitted_application(first, corp_first, "WF-002")

    results = await asyncio.gather(
        first.post(f"/applications/{application['id']}/cancel", headers=corp_first),
        second.post(
            f"/staff/applications/{application['id']}/decisions", json={"action": "accept"}, headers=staff
        ),
    )

    assert sorted(r.status_code for r in results) == [200, 409]
    final = (await first.get(f"/applications/{application['id']}", headers=corp_first)).json()
    assert len(final["timeline"]) == 2
    assert final["status"]["code"] in ("cancelled", "accepted")


async def test_a_retried_create_with_the_same_key_creates_one_application(api, corp):
    body = {"item_code": "WF-002", "agency_code": "SH"}
    headers = {**corp, "Idempotency-Key": "create-wf002-0001"}

    first = await api.post("/applications", json=body, headers=headers)
    again = await api.post("/applications", json=body, headers=headers)

    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    mine = (await api.get("/me/applications", headers=corp)).json()["items"]
    assert [a["id"] for a in mine].count(first.json()["id"]) == 1
    other = await api.post("/applications", json={**body, "agency_code": "SH-WS"}, headers=headers)
    assert other.status_code == 422 and other.json()["code"] == "idempotency.key_reused"


async def test_a_retried_submit_with_the_same_key_replays_instead_of_failing(api, corp):
    draft = (
        await api.post("/applications", json=await filled_draft(api, corp, "WF-002"), headers=corp)
    ).json()
    headers = {**corp, "Idempotency-Key": "submit-wf002-0001"}

    first = await api.post(f"/applications/{draft['id']}/submit", headers=headers)
    again = await api.post(f"/applications/{draft['id']}/submit", headers=headers)

    assert first.status_code == again.status_code == 200
    assert again.json()["number"] == first.json()["number"]


async def test_applicants_creating_drafts_while_staff_open_applications_all_get_their_answer(two_workers):
    """On SQLite every request queues for the write lock instead of failing with 系统繁忙 because
    another worker committed first — reads too, since staff reads are recorded in the audit trail."""
    _, workers = two_workers
    signed_in = [(worker, await login(worker, "demo-corp")) for worker in workers]
    staff = await login(workers[1], "demo-staff-sh")
    submitted = await submitted_application(workers[0], signed_in[0][1], "WF-002")
    body = {"item_code": "WF-002", "agency_code": "SH"}

    creates = [
        worker.post("/applications", json=body, headers=corp) for _ in range(10) for worker, corp in signed_in
    ]
    views = [workers[1].get(f"/staff/applications/{submitted['id']}", headers=staff) for _ in range(10)]
    answers = await asyncio.gather(*creates, *views)

    assert [r.status_code for r in answers] == [201] * 20 + [200] * 10, [
        r.text for r in answers if r.is_error
    ]
    mine = (await workers[0].get("/me/applications?limit=50", headers=signed_in[0][1])).json()["items"]
    assert {r.json()["id"] for r in answers[:20]} <= {a["id"] for a in mine}


async def test_two_concurrent_edits_of_one_draft_never_fail_with_a_server_error(both):
    """Both saves of 编辑办件 land one after the other, or the later one is told to refresh (409)."""
    first, second, corp_first, corp_second = both
    body = await filled_draft(first, corp_first, "WF-002")
    for _ in range(5):
        draft = (await first.post("/applications", json=body, headers=corp_first)).json()
        url = f"/applications/{draft['id']}"

        edit = {key: value for key, value in body.items() if key != "item_code"}

        results = await asyncio.gather(
            first.put(url, json=edit, headers=corp_first), second.put(url, json=edit, headers=corp_second)
        )

        codes = sorted(r.status_code for r in results)
        assert codes in ([200, 200], [200, 409]), [r.text for r in results]
        for refused in (r for r in results if r.status_code == 409):
            assert refused.json()["code"] == "application.conflict"


async def test_a_delete_racing_a_submit_ends_with_one_of_them_and_no_server_error(both):
    first, second, corp_first, corp_second = both
    body = await filled_draft(first, corp_first, "WF-002")
    for _ in range(5):
        draft = (await first.post("/applications", json=body, headers=corp_first)).json()
        url = f"/applications/{draft['id']}"

        submitted, deleted = await asyncio.gather(
            first.post(f"{url}/submit", headers=corp_first), second.delete(url, headers=corp_second)
        )

        # The loser learns why: already submitted, already gone, or lost the race for the row.
        assert (submitted.status_code, deleted.status_code) in (
            (200, 409),
            (404, 204),
            (409, 204),
            (422, 204),  # the submit read the materials after the delete had removed them
        ), [submitted.text, deleted.text]
        if deleted.status_code == 409:
            assert deleted.json()["code"] in ("application.conflict", "application.not_discardable")
        if submitted.status_code == 409:
            assert submitted.json()["code"] == "application.conflict"
        after = await first.get(url, headers=corp_first)
        assert after.status_code == (404 if deleted.status_code == 204 else 200)
