"""An authority keeps its own dataset (agency tree, catalog, pick lists, help) as files in version
control: it exports what the database holds, edits the files, and imports them, or has every
start load them (``DATASET_DIR``)."""

import asyncio
import json
from importlib import resources
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from app import cli
from app.core.config import get_settings
from app.core.db import create_engine
from app.dataset.models import DatasetVersion
from app.main import create_app
from app.seed import FILES


async def _served(settings, *paths: str, during=None) -> list[dict]:
    """What a worker answers for ``paths``; with ``during``, once before and once after it ran
    (in a thread, as an operator's command beside the running server)."""
    app = create_app(settings.model_copy(update={"read_cache_check_seconds": 0}))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t/api/v1") as client:

            async def answers():
                return [(await client.get(path)) for path in paths]

            if during is None:
                return await answers()
            before = await answers()
            await asyncio.to_thread(during)
            return before, await answers()


async def _versions(settings) -> list[tuple[int, str, dict]]:
    """The dataset versions kept: number, who published, what changed."""
    engine = create_engine(settings)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                select(DatasetVersion.number, DatasetVersion.published_by, DatasetVersion.changes).order_by(
                    DatasetVersion.number
                )
            )
            return [tuple(row) for row in rows]
    finally:
        await engine.dispose()


def _export(directory: Path) -> None:
    cli.main(["dataset-export", str(directory)])


def _edit(directory: Path, name: str, change) -> None:
    path = directory / name
    records = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(change(records), ensure_ascii=False, indent=1), encoding="utf-8")


def _with_phone(items: list[dict], code: str, phone: str) -> list[dict]:
    for item in items:
        if item["code"] == code:
            item["guide"]["consult_phone"] = phone
    return items


def _shipped(file) -> str:
    return resources.files(file.package).joinpath("seed", file.name).read_text(encoding="utf-8")


def test_an_export_of_the_shipped_dataset_gives_the_shipped_files_back(
    operator_env, database_kind, tmp_path, capsys
):
    _export(tmp_path / "dataset")

    assert "已导出" in capsys.readouterr().out
    for file in FILES:
        exported = (tmp_path / "dataset" / file.name).read_text(encoding="utf-8")
        assert json.loads(exported) == json.loads(_shipped(file)), file.name
        # Byte for byte, but for the free-form documents of the forms: JSONB orders their keys.
        if database_kind == "sqlite" or file.name != "online_items.json":
            assert exported == _shipped(file), file.name


def test_an_authority_edits_a_guides_phone_and_an_agency_and_every_worker_serves_them(operator_env, tmp_path):
    directory = tmp_path / "dataset"
    _export(directory)
    _edit(directory, "items.json", lambda items: _with_phone(items, "TH-001", "0571-12345678"))
    _edit(
        directory,
        "agencies.json",
        lambda tree: [{**node, "phone": "021-87654321"} if node["code"] == "SH" else node for node in tree],
    )

    before, after = asyncio.run(
        _served(
            operator_env,
            "/catalog/items/TH-001",
            "/agencies/SH",
            during=lambda: cli.main(["dataset-import", str(directory)]),
        )
    )

    assert before[0].json()["guide"]["consult_phone"] != "0571-12345678"
    assert after[0].json()["guide"]["consult_phone"] == "0571-12345678"
    assert after[0].headers["etag"] != before[0].headers["etag"]
    assert before[1].json()["phone"] != "021-87654321"
    assert after[1].json()["phone"] == "021-87654321"
    # The import is a dataset version of its own, compared with the one before.
    assert asyncio.run(_versions(operator_env)) == [
        (1, "初始数据加载", {"added": 656, "removed": 0, "changed": 0}),
        (2, "数据导入（dataset-import）", {"added": 0, "removed": 0, "changed": 2}),
    ]


def _bad_json(directory: Path) -> None:
    (directory / "ports.json").write_text('[{"id": "CNSHA",]', encoding="utf-8")


def _orphan_agency(directory: Path) -> None:
    _edit(
        directory,
        "agencies.json",
        lambda tree: [*tree, {**tree[-1], "code": "XX-1", "name": "无主海事处", "parent": "XX"}],
    )


def _unknown_level(directory: Path) -> None:
    _edit(
        directory,
        "agencies.json",
        lambda tree: [{**node, "level": "city"} if node["code"] == "SH" else node for node in tree],
    )


def _missing_file(directory: Path) -> None:
    (directory / "articles.json").unlink()


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (_bad_json, r"ports\.json：不是有效的 JSON（第 1 行"),
        (_orphan_agency, r"agencies\.json 第 107 条（code=XX-1）：字段 parent：上级机构“XX”不存在"),
        (_unknown_level, r"agencies\.json 第 \d+ 条（code=SH）：字段 level：取值“city”无效"),
        (_missing_file, r"articles\.json：文件不存在"),
    ],
    ids=["bad-json", "unknown-parent", "unknown-level", "missing-file"],
)
def test_a_broken_file_is_refused_by_name_and_nothing_is_written(operator_env, tmp_path, breakage, message):
    directory = tmp_path / "dataset"
    _export(directory)
    # Sound edits in the first file loaded and in another one: neither may be applied.
    _edit(
        directory,
        "agencies.json",
        lambda tree: [{**node, "phone": "010-1"} if node["code"] == "CN" else node for node in tree],
    )
    _edit(directory, "items.json", lambda items: _with_phone(items, "TH-001", "0571-12345678"))
    breakage(directory)

    with pytest.raises(SystemExit, match=message):
        cli.main(["dataset-import", str(directory)])

    agency, item = asyncio.run(_served(operator_env, "/agencies/CN", "/catalog/items/TH-001"))
    assert agency.json()["phone"] != "010-1"
    assert item.json()["guide"]["consult_phone"] != "0571-12345678"


def _without_shanghai(tree: list[dict]) -> list[dict]:
    return [node for node in tree if node["code"] != "SH" and not node["code"].startswith("SH-")]


def test_an_import_may_drop_an_unused_agency_but_not_one_that_staff_belong_to(operator_env, tmp_path):
    directory = tmp_path / "dataset"
    _export(directory)
    _edit(directory, "agencies.json", lambda tree: [node for node in tree if node["code"] != "TJ-BJ"])
    cli.main(["dataset-import", str(directory)])
    (gone,) = asyncio.run(_served(operator_env, "/agencies/TJ-BJ"))
    assert gone.status_code == 404

    _edit(directory, "agencies.json", _without_shanghai)
    _edit(
        directory,
        "agency_candidates.json",
        lambda candidates: [c for c in candidates if not c["parent"].startswith("SH")],
    )
    with pytest.raises(SystemExit, match=r"agencies\.json 缺少仍在使用的 SH（users\.agency_code）"):
        cli.main(["dataset-import", str(directory)])
    (kept,) = asyncio.run(_served(operator_env, "/agencies/SH"))
    assert kept.status_code == 200


def test_dataset_dir_makes_every_start_load_the_authoritys_files(operator_env, tmp_path, monkeypatch):
    directory = tmp_path / "dataset"
    _export(directory)
    _edit(directory, "items.json", lambda items: _with_phone(items, "TH-001", "0571-12345678"))
    monkeypatch.setenv("DATASET_DIR", str(directory))
    get_settings.cache_clear()

    cli.main(["seed"])

    (item,) = asyncio.run(_served(operator_env, "/catalog/items/TH-001"))
    assert item.json()["guide"]["consult_phone"] == "0571-12345678"
    assert [number for number, *_ in asyncio.run(_versions(operator_env))] == [1, 2]

    cli.main(["seed"])  # the next start: the same files, no new version
    assert [number for number, *_ in asyncio.run(_versions(operator_env))] == [1, 2]
