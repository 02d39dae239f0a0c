"""The authority's upkeep as the end-to-end test and the screens show it: a 海事处 added under a
branch bureau, with its address, phone and office hours, handling one item, in a dataset
directory of the shipped files (as publishing or ``DATASET_DIR`` loads it)."""

from pathlib import Path

from app.core.seeding import read_seed, write_file
from app.seed import FILES

ITEM = "TH-002"  # 通航水域岸线安全使用许可
OFFICE = {
    "code": "SD-RZ-SJ",
    "name": "日照石臼海事处",
    "short_name": "石臼",
    "level": "office",
    "parent": "SD-RZ",  # 日照海事局, a branch bureau of 山东海事局
    "name_en": None,
    "region": None,
    "address": "山东省日照市东港区海滨二路1号",
    "phone": "0633-8000000",
    "website": None,
    "office_hours": "工作日 8:30-12:00，13:30-17:00",
    "items": [ITEM],
}


def with_office(tree: list[dict]) -> list[dict]:
    """agencies.json's records with ``OFFICE`` after its parent's subtree."""
    at = max(i for i, node in enumerate(tree) if node["code"] == "SD-RZ" or node["parent"] == "SD-RZ") + 1
    return [*tree[:at], OFFICE, *tree[at:]]


def write_dataset_with_office(directory: Path) -> Path:
    """The shipped dataset with ``OFFICE``, as files in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    for file in FILES:
        records = read_seed(file.package, file.name)
        if file.name == "agencies.json":
            records = with_office(records)
        write_file(directory / file.name, records, file.indent)
    return directory

