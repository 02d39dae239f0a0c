"""Loading the dataset (``python -m app.cli seed``, ``dataset-import``) and writing it back
(``dataset-export``): JSON files, one array of objects each, the shipped ones inside the wheel.

A source reads a file's records by ``(package, file name)``: ``read_seed`` the shipped files,
``directory_source`` an authority's own directory. Loaders turn records into table rows through
``prepare_rows``, which names the file, the record and the field of anything they refuse.
"""

import json
from collections.abc import Callable, Iterable
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import upsert_statement

Rows = list[dict[str, Any]]
M = TypeVar("M", bound=BaseModel)
Source = Callable[[str, str], Rows]


class DatasetError(ValueError):
    """A dataset file the loaders refuse; the message (zh-CN) names the file, record and field."""


class FieldError(ValueError):
    """One field of a record is wrong: ``prepare_rows`` adds the file and the record."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"字段 {field}：{reason}")


def read_seed(package: str, name: str) -> Rows:
    """A JSON file from ``<package>/seed/``, shipped inside the wheel."""
    return json.loads(resources.files(package).joinpath("seed", name).read_text(encoding="utf-8"))


def directory_source(directory: Path) -> Source:
    """The dataset files in ``directory`` (file names are unique across packages)."""
    return lambda package, name: read_file(directory / name)


def read_file(path: Path) -> Rows:
    if not path.is_file():
        raise DatasetError(f"{path.name}：文件不存在（{path}）")
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise DatasetError(f"{path.name}：不是 UTF-8 编码的文本（第 {error.start + 1} 字节）") from error
    except json.JSONDecodeError as error:
        raise DatasetError(
            f"{path.name}：不是有效的 JSON（第 {error.lineno} 行第 {error.colno} 列：{error.msg}）"
        ) from error
    if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
        raise DatasetError(f"{path.name}：应为 JSON 对象的数组")
    return records


def write_file(path: Path, records: Rows, indent: int) -> None:
    """As the shipped files are written: UTF-8 characters as they are, a final newline."""
    path.write_text(json.dumps(records, ensure_ascii=False, indent=indent) + "\n", encoding="utf-8")


def prepare_rows(
    file_name: str, key: str, records: Rows, prepare: Callable[[int, dict[str, Any]], dict[str, Any]]
) -> Rows:
    """``prepare(position, record)`` for every record; the first refusal, or a key given twice,
    raises a ``DatasetError`` naming the file, the record (1-based, with its key) and the field."""
    rows, seen = [], set()
    for position, record in enumerate(records):
        where = f"{file_name} 第 {position + 1} 条（{key}={record.get(key)}）"
        try:
            rows.append(prepare(position, record))
        except Exception as error:
            raise DatasetError(f"{where}：{_reason(error)}") from error
        if record[key] in seen:
            raise DatasetError(f"{where}：{key} 重复")
        seen.add(record[key])
    return rows


def _reason(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"缺少字段 {error.args[0]}"
    if isinstance(error, ValidationError):
        return _invalid(error)
    return str(error)


def _invalid(error: ValidationError, *within: str) -> str:
    first = error.errors()[0]
    given = first.get("input")
    shown = f"（现为 {given!r}）" if isinstance(given, str | int | float) else ""
    return f"字段 {'.'.join(str(part) for part in (*within, *first['loc']))}：{first['msg']}{shown}"


def validated(record: dict[str, Any], field: str, model: type[M]) -> M:
    """``record[field]`` as a ``model``; a refusal names the field inside the record."""
    try:
        return model.model_validate(record[field])
    except ValidationError as error:
        raise ValueError(_invalid(error, field)) from error


def choice(record: dict[str, Any], field: str, kind: type[Enum]) -> str:
    """``record[field]`` as one of ``kind``'s values, or a ``FieldError`` listing them."""
    return one_of(record[field], field, kind)


def one_of(value: Any, field: str, kind: type[Enum]) -> str:
    try:
        return kind(value).value
    except ValueError:
        allowed = "、".join(str(member.value) for member in kind)
        raise FieldError(field, f"取值“{value}”无效，可选：{allowed}") from None


def require_known(field: str, value: Any, known: Iterable[Any], what: str) -> None:
    if value not in known:
        raise FieldError(field, f"{what}“{value}”不存在")


async def upsert(session: AsyncSession, model: type, rows: Rows) -> None:
    """Insert ``rows``, or update the ones whose primary key exists: rerunning changes nothing."""
    if not rows:
        return
    insert = upsert_statement(session, model)
    keys = [column.name for column in inspect(model).primary_key]
    updates = {name: insert.excluded[name] for name in rows[0] if name not in keys}
    statement = (
        insert.on_conflict_do_update(index_elements=keys, set_=updates)
        if updates
        else insert.on_conflict_do_nothing(index_elements=keys)
    )
    await session.execute(statement, rows)
