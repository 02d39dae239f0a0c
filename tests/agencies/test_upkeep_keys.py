"""An authority keeps its units in agencies.json: office hours (`office_hours`), a closing date
(`closed_on`), the items a unit handles (`items`, 实施机构) and the guide's local details of an item
at a unit (`item_details`: 受理地点, 咨询电话, 办理时间, 收费). Each is checked when the files are
loaded, with a message naming the record and the field, before anything reaches the database."""

import re

import pytest

from app.core.seeding import DatasetError, read_seed
from app.seed import export_dataset, load_seed_data, prepare_dataset

# 日照石臼海事处: a new office under 日照海事局 (a branch bureau), as an authority would add it.
SHIJIU = {
    "code": "SD-RZ-SJ",
    "name": "日照石臼海事处",
    "short_name": "石臼",
    "level": "office",
    "parent": "SD-RZ",
    "name_en": None,
    "region": None,
    "address": "日照市东港区海滨二路1号",
    "phone": "0633-8000000",
    "website": None,
    "office_hours": "工作日 8:30-12:00，13:30-17:00",
    "items": ["TH-002", "TH-004"],
    "item_details": {"TH-002": {"hours": "工作日 9:00-11:30", "fee": "不收费"}},
}


def dataset_with(change):
    """The shipped dataset with ``change`` applied to agencies.json's records."""

    def source(package: str, name: str):
        records = read_seed(package, name)
        return change(records) if name == "agencies.json" else records

    return prepare_dataset(source)


def added(*units):
    def change(tree):
        at = next(i for i, node in enumerate(tree) if node["code"] == "SD-RZ-LS") + 1
        return [*tree[:at], *units, *tree[at:]]

    return change


def edited(code, **fields):
    return lambda tree: [{**node, **fields} if node["code"] == code else node for node in tree]


def both(*changes):
    def change(tree):
        for one in changes:
            tree = one(tree)
        return tree

    return change


def refusal(change) -> str:
    with pytest.raises(DatasetError) as refused:
        dataset_with(change)
    return str(refused.value)


def test_a_unit_naming_an_item_the_catalog_does_not_have_is_refused():
    message = refusal(added({**SHIJIU, "items": ["TH-002", "TH-999"]}))

    assert re.fullmatch(r"agencies\.json 第 \d+ 条（code=SD-RZ-SJ）：字段 items：事项“TH-999”不存在", message)
    message = refusal(added({**SHIJIU, "item_details": {"XX-1": {"phone": "1"}}}))
    assert "（code=SD-RZ-SJ）：字段 item_details：事项“XX-1”不存在" in message


def test_a_closing_date_that_is_no_date_is_refused():
    for wrong in ("2027-02-30", "2027/01/01", "明年", 20270101):
        message = refusal(added({**SHIJIU, "closed_on": wrong}))
        assert "（code=SD-RZ-SJ）：字段 closed_on：撤销日期应为 YYYY-MM-DD 格式的有效日期" in message, wrong


def test_local_details_say_at_least_one_thing_each_as_text():
    assert "字段 item_details.TH-002：应至少填写一项：place（受理地点）、phone（咨询电话）" in refusal(
        added({**SHIJIU, "item_details": {"TH-002": {}}})
    )
    assert "字段 item_details.TH-002.phone：应为非空的文本" in refusal(
        added({**SHIJIU, "item_details": {"TH-002": {"phone": "  "}}})
    )
    assert "字段 item_details.TH-002.email：未知字段，可选：place、phone、hours、fee" in refusal(
        added({**SHIJIU, "item_details": {"TH-002": {"email": "a@b.cn"}}})
    )


def test_a_bureau_cannot_close_while_a_unit_under_it_stays_open():
    message = refusal(edited("SD-RZ", closed_on="2027-03-01"))

    assert re.fullmatch(
        r"agencies\.json 第 \d+ 条（code=SD-RZ-LS）：字段 closed_on：上级机构“SD-RZ”自 2027-03-01 起撤销，"
        r"本机构须在同日或更早撤销（撤销机构前须先撤销其下级机构）",
        message,
    )
    # Closing the office later than its bureau is no better; on the same day or before, it is.
    bureau_closes = edited("SD-RZ", closed_on="2027-03-01")
    assert "SD-RZ-LS" in refusal(both(bureau_closes, edited("SD-RZ-LS", closed_on="2027-03-02")))
    dataset_with(both(bureau_closes, edited("SD-RZ-LS", closed_on="2027-03-01")))


def test_over_long_values_are_refused_by_the_loader_not_the_database():
    assert "字段 office_hours：不能超过 100 个字符（现为 101 个）" in refusal(
        added({**SHIJIU, "office_hours": "时" * 101})
    )
    assert "字段 name：不能超过 64 个字符（现为 65 个）" in refusal(added({**SHIJIU, "name": "海" * 65}))
    assert "字段 item_details.TH-002.place：不能超过 200 个字符（现为 201 个）" in refusal(
        added({**SHIJIU, "item_details": {"TH-002": {"place": "路" * 201}}})
    )


async def test_the_new_keys_come_back_out_as_they_went_in_and_only_where_set(session):
    closing_later = edited("SD-RZ-LS", closed_on="2027-03-01")
    await load_seed_data(session, dataset_with(both(added(SHIJIU), closing_later)), replace=True)

    exported = {record["code"]: record for record in (await export_dataset(session))["agencies.json"]}

    assert exported["SD-RZ-SJ"] == SHIJIU
    assert exported["SD-RZ-LS"]["closed_on"] == "2027-03-01"
    assert not {"office_hours", "closed_on", "items", "item_details"} & set(exported["SD-RZ"])


async def test_publishing_again_replaces_a_units_items_and_details_with_what_the_files_hold(session):
    await load_seed_data(session, dataset_with(added(SHIJIU)), replace=True)
    fewer = {**SHIJIU, "items": [], "item_details": {"TH-004": {"phone": "0633-8000001"}}}
    del fewer["office_hours"]

    await load_seed_data(session, dataset_with(added(fewer)), replace=True)
    exported = {record["code"]: record for record in (await export_dataset(session))["agencies.json"]}
    assert exported["SD-RZ-SJ"] == fewer  # handles nothing now (an empty list, not its level)

    by_level = {key: value for key, value in fewer.items() if key not in ("items", "item_details")}
    await load_seed_data(session, dataset_with(added(by_level)), replace=True)
    exported = {record["code"]: record for record in (await export_dataset(session))["agencies.json"]}
    assert "items" not in exported["SD-RZ-SJ"] and "item_details" not in exported["SD-RZ-SJ"]
