"""补正 item by item: staff name each material slot or form field to supplement with its reason;
the 补正材料通知书 and the applicant's application list them; bad items are refused by index."""

import pytest
from sqlalchemy import select

from app.applications.models import Notice
from tests.support.applying import decide, submitted_application

TWO_SLOTS_AND_A_FIELD = [
    {"target": "material", "key": "technical_documents", "reason": "图纸未加盖设计单位公章，请重新上传"},
    {"target": "material", "key": "designer_qualification", "reason": "资质证书已过有效期"},
    {"target": "field", "key": "shoreline_length_m", "reason": "岸线长度与图纸标注不一致"},
]

DRAWINGS = TWO_SLOTS_AND_A_FIELD[0]


async def request_supplement(api, staff, application, items, **extra):
    return await api.post(
        f"/staff/applications/{application['id']}/decisions",
        json={"action": "request_supplement", "comment": "请按以下各项补正后重新提交", "supplement_items": items, **extra},
        headers=staff,
    )


async def test_the_applicant_sees_each_item_to_supplement_with_its_reason_until_resubmitting(
    api, corp, staff
):
    application = await submitted_application(api, corp, "TH-002")

    asked = await request_supplement(api, staff, application, TWO_SLOTS_AND_A_FIELD)

    assert asked.status_code == 200, asked.text
    mine = (await api.get(f"/applications/{application['id']}", headers=corp)).json()
    request = mine["supplement_request"]
    assert request["comment"] == "请按以下各项补正后重新提交"
    assert request["items"] == [
        {**TWO_SLOTS_AND_A_FIELD[0], "label": "有关技术资料、图纸及审查会议纪要"},
        {**TWO_SLOTS_AND_A_FIELD[1], "label": "设计单位资质认证文书"},
        {**TWO_SLOTS_AND_A_FIELD[2], "label": "岸线长度（米）"},
    ]
    assert request["notice_id"] == mine["notices"][-1]["id"]
    notice = (
        await api.get(f"/applications/{application['id']}/notices/{request['notice_id']}", headers=corp)
    ).json()
    assert notice["content"]["supplement_items"] == request["items"]
    # Staff reviewing it see the same open request.
    reviewed = (await api.get(f"/staff/applications/{application['id']}", headers=staff)).json()
    assert reviewed["supplement_request"] == request

    resubmitted = (await api.post(f"/applications/{application['id']}/submit", headers=corp)).json()
    assert resubmitted["status"]["code"] == "submitted"
    assert resubmitted["supplement_request"] is None


async def test_an_application_never_asked_to_supplement_has_no_request(api, corp):
    application = await submitted_application(api, corp, "WF-002")

    assert application["supplement_request"] is None


@pytest.mark.parametrize(
    ("items", "loc", "code", "message"),
    [
        (
            [TWO_SLOTS_AND_A_FIELD[0], {"target": "material", "key": "crew_list", "reason": "缺少"}],
            ["body", "supplement_items", 1, "key"],
            "supplement.unknown_material",
            "第 2 项：事项没有材料项“crew_list”",
        ),
        (
            [{"target": "field", "key": "imo_number", "reason": "编号有误"}],
            ["body", "supplement_items", 0, "key"],
            "supplement.unknown_field",
            "第 1 项：事项没有表单字段“imo_number”",
        ),
        (
            # A slot is not a field: the target says where the key is looked up.
            [{"target": "field", "key": "technical_documents", "reason": "缺少"}],
            ["body", "supplement_items", 0, "key"],
            "supplement.unknown_field",
            "第 1 项：事项没有表单字段“technical_documents”",
        ),
        (
            [*TWO_SLOTS_AND_A_FIELD[:2], {**TWO_SLOTS_AND_A_FIELD[0], "reason": "另一个原因"}],
            ["body", "supplement_items", 2, "key"],
            "supplement.duplicate",
            "第 3 项：“有关技术资料、图纸及审查会议纪要”已在第 1 项列出，请合并为一项",
        ),
    ],
)
async def test_an_item_the_application_does_not_have_or_named_twice_is_refused_by_its_index(
    api, corp, staff, session, items, loc, code, message
):
    application = await submitted_application(api, corp, "TH-002")

    refused = await request_supplement(api, staff, application, items)

    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["code"] == "validation_failed"
    assert problem["errors"] == [{"loc": loc, "msg": message, "type": code}]
    # Nothing was written: still 待受理, same version, no notice.
    unchanged = (await api.get(f"/staff/applications/{application['id']}", headers=staff)).json()
    assert unchanged["status"]["code"] == "submitted"
    assert unchanged["version"] == application["version"]
    assert await session.scalar(select(Notice.id).where(Notice.application_id == application["id"])) is None


@pytest.mark.parametrize(
    ("items", "loc"),
    [
        ([{**DRAWINGS, "reason": "   "}], ["body", "supplement_items", 0, "reason"]),
        ([{**DRAWINGS, "reason": "长" * 201}], ["body", "supplement_items", 0, "reason"]),
        ([{**DRAWINGS, "target": "page"}], ["body", "supplement_items", 0, "target"]),
        ([{"target": "material", "reason": "缺少"}], ["body", "supplement_items", 0, "key"]),
        ([], ["body", "supplement_items"]),
        ([TWO_SLOTS_AND_A_FIELD[0]] * 31, ["body", "supplement_items"]),
    ],
)
async def test_a_blank_reason_or_a_malformed_list_is_refused_in_chinese(api, corp, staff, items, loc):
    application = await submitted_application(api, corp, "TH-002")

    refused = await request_supplement(api, staff, application, items)

    assert refused.status_code == 422, refused.text
    errors = refused.json()["errors"]
    assert [e["loc"] for e in errors] == [loc]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in e["msg"]) for e in errors)


async def test_a_supplement_request_without_items_is_refused(api, corp, staff):
    application = await submitted_application(api, corp, "TH-002")

    refused = await api.post(
        f"/staff/applications/{application['id']}/decisions",
        json={"action": "request_supplement", "comment": "材料不全"},
        headers=staff,
    )

    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"loc": ["body", "supplement_items"], "msg": "请逐项列出需补正的材料或表单字段，并说明原因", "type": "missing"}
    ]


async def test_items_belong_to_a_supplement_request_only(api, corp, staff):
    application = await submitted_application(api, corp, "TH-002")

    refused = await api.post(
        f"/staff/applications/{application['id']}/decisions",
        json={"action": "accept", "supplement_items": TWO_SLOTS_AND_A_FIELD[:1]},
        headers=staff,
    )

    assert refused.status_code == 422
    assert refused.json()["errors"][0]["type"] == "supplement.not_requested"


async def test_the_deprecated_missing_materials_still_names_slots_with_the_comment_as_reason(
    api, corp, staff
):
    application = await submitted_application(api, corp, "TH-002")

    # By the slot's name as the guide lists it, or by its key.
    await decide(
        api,
        staff,
        application,
        "request_supplement",
        comment="材料不全",
        missing_materials=["设计单位资质认证文书", "technical_documents"],
    )

    mine = (await api.get(f"/applications/{application['id']}", headers=corp)).json()
    assert mine["supplement_request"]["items"] == [
        {"target": "material", "key": "designer_qualification", "label": "设计单位资质认证文书", "reason": "材料不全"},
        {
            "target": "material",
            "key": "technical_documents",
            "label": "有关技术资料、图纸及审查会议纪要",
            "reason": "材料不全",
        },
    ]


async def test_a_free_material_name_that_is_no_slot_is_refused(api, corp, staff):
    application = await submitted_application(api, corp, "TH-002")

    refused = await api.post(
        f"/staff/applications/{application['id']}/decisions",
        json={"action": "request_supplement", "comment": "材料不全", "missing_materials": ["船舶照片"]},
        headers=staff,
    )

    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {
            "loc": ["body", "missing_materials", 0],
            "msg": "第 1 项：事项没有名为“船舶照片”的材料项",
            "type": "supplement.unknown_material",
        }
    ]


async def test_a_request_issued_before_items_existed_still_shows_its_materials(api, corp, staff, session):
    """A 补正材料通知书 of an older release lists free names: each is shown with the slot it names."""
    application = await submitted_application(api, corp, "TH-002")
    await decide(
        api,
        staff,
        application,
        "request_supplement",
        comment="材料不全",
        supplement_items=TWO_SLOTS_AND_A_FIELD[:1],
    )
    notice = await session.scalar(select(Notice).where(Notice.application_id == application["id"]))
    notice.content = {
        **{k: v for k, v in notice.content.items() if k != "supplement_items"},
        "missing_materials": ["设计单位资质认证文书", "通航安全评估报告（评审稿）"],
    }
    await session.flush()

    mine = (await api.get(f"/applications/{application['id']}", headers=corp)).json()

    assert mine["supplement_request"]["items"] == [
        {"target": "material", "key": "designer_qualification", "label": "设计单位资质认证文书", "reason": "材料不全"},
        {"target": "material", "key": None, "label": "通航安全评估报告（评审稿）", "reason": "材料不全"},
    ]
