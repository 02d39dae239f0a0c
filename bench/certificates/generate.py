"""Deterministic NDJSON of pushed certificates for the bulk-load benchmark.

``lines(count)`` yields line after line (nothing held), the same bytes for the same count on
every machine: a realistic mix of the 13 registry types (seafarers' certificates most of all,
ship certificates held by companies), a few per cent held by registered people or companies
(``REGISTERED_PEOPLE``/``REGISTERED_COMPANIES``, whom ``holders()`` lists so the benchmark can
register them first) and about one line in a hundred refused for a reason a registry's export
really has (an ID number whose check digit is wrong, an unknown type, a missing field).

    .venv/bin/python bench/certificates/generate.py 1000 > sample.ndjson
"""

import json
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.certificates.types import TYPES, CertificateType  # noqa: E402
from app.core.identifiers import (  # noqa: E402
    credit_code_check_character,
    id_card_check_digit,
    imo_check_digit,
)

# Share of each type, per mille (the registry holds far more seafarers' papers than ships').
MIX = (
    (CertificateType.seafarer_coc_sea, 220),
    (CertificateType.seafarer_coc_inland, 110),
    (CertificateType.seafarer_passport, 150),
    (CertificateType.seamans_book, 150),
    (CertificateType.training_cert, 160),
    (CertificateType.special_dispensation, 15),
    (CertificateType.pilot_coc, 10),
    (CertificateType.ship_nationality, 50),
    (CertificateType.ship_ownership, 45),
    (CertificateType.ship_mortgage, 10),
    (CertificateType.min_safe_manning, 45),
    (CertificateType.clc_cofr, 20),
    (CertificateType.water_activity_permit, 15),
)
_SLOTS = [kind for kind, share in MIX for _ in range(share)]
assert len(_SLOTS) == 1000

REGISTERED_PEOPLE = 10_000
REGISTERED_COMPANIES = 1_000
MATCHED_PER_HUNDRED = 4  # holders who already have an account
REFUSED_PER_THOUSAND = 10
AGENCIES = ("SH", "SH-YS", "SH-WS", "SH-PD", "SH-HP", "SH-JSH", "SH-WGQ", "SH-BS", "SH-CM", "ZJ", "GD", "CJ")
STATUSES = ("valid",) * 90 + ("expired",) * 6 + ("suspended",) * 2 + ("revoked",) * 2
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华"
SHIPS = ("海丰", "长航", "申港", "浙渔", "粤海", "闽运", "华远", "中远", "招商", "新海")
EPOCH = date(1960, 1, 1)
TEXTS = {
    "nationality": "中国",
    "limitations": "无",
    "route_limits": "长江干线",
    "birth_place": "上海",
    "registration": "已注册",
    "service_record": "见服务簿",
    "training_record": "见服务簿",
    "medical_record": "合格",
    "training_items": "Z01 基本安全",
    "pilotage_area": "上海港",
    "port_of_registry": "上海",
    "ship_type": "散货船",
    "navigation_area": "沿海航区",
    "minimum_manning": "船长1 大副1 轮机长1 值班水手2",
    "insurer": "中国人民财产保险股份有限公司",
    "activity": "航道疏浚",
    "waters": "长江口北槽",
    "vessels": "浚海6",
}


def person_id_number(n: int) -> str:
    """A valid 居民身份证号码, distinct for every n below 10 million."""
    born = EPOCH + timedelta(days=n % 14_000)
    first17 = f"310101{born:%Y%m%d}{(n // 14_000) % 1000:03d}"
    # Beyond 14,000 × 1,000 people the area code changes (310101 → 310102 …).
    first17 = f"{310101 + n // 14_000_000}{first17[6:]}"
    return first17 + id_card_check_digit(first17)


def company_credit_code(n: int) -> str:
    """A valid 统一社会信用代码 (法人, 企业), distinct for every n below 1 billion."""
    first17 = f"91310000{n:09d}"
    return first17 + credit_code_check_character(first17)


def holders() -> Iterator[tuple[str, str, str]]:
    """(kind, name, id_number or credit_code) of everyone the benchmark registers first."""
    for n in range(REGISTERED_PEOPLE):
        yield "person", _person_name(n), person_id_number(n)
    for n in range(REGISTERED_COMPANIES):
        yield "organisation", _company_name(n), company_credit_code(n)


def _person_name(n: int) -> str:
    return SURNAMES[n % len(SURNAMES)] + GIVEN[(n // 7) % len(GIVEN)] + GIVEN[(n // 131) % len(GIVEN)]


def _company_name(n: int) -> str:
    return f"{SHIPS[n % len(SHIPS)]}航运第{n}有限公司"


def _field_value(key: str, choices: tuple[str, ...] | None, i: int) -> str:
    if choices:
        return choices[i % len(choices)]
    if key == "birth_date":
        return (EPOCH + timedelta(days=i % 14_000)).isoformat()
    if key == "imo_number":
        first6 = f"{1_000_000 - 1 - i % 900_000:06d}"
        return first6 + imo_check_digit(first6)
    if key in ("gross_tonnage", "net_tonnage"):
        return str(300 + i % 90_000)
    if key == "ship_name":
        return f"{SHIPS[i % len(SHIPS)]}{i % 9_000 + 1}"
    if key == "ship_id":
        return f"CN{20_000_000_000 + i}"
    return TEXTS.get(key, f"{key}-{i % 997}")


def certificate(i: int) -> dict:
    kind = _SLOTS[(i * 7919) % 1000]  # a stride prime to 1000 mixes the types along the file
    spec = TYPES[kind]
    matched = (i * 31) % 100 < MATCHED_PER_HUNDRED
    if spec.crew:
        n = (i * 13) % REGISTERED_PEOPLE if matched else REGISTERED_PEOPLE + i
        holder = {"kind": "person", "name": _person_name(n), "id_number": person_id_number(n)}
    else:
        n = (i * 13) % REGISTERED_COMPANIES if matched else REGISTERED_COMPANIES + i
        holder = {"kind": "organisation", "name": _company_name(n), "credit_code": company_credit_code(n)}
    issued = date(2021, 1, 1) + timedelta(days=i % 1_800)
    return {
        "registry_id": f"REG-{i:09d}",
        "source_version": 1 + i % 3,
        "type_code": kind.value,
        "number": f"{kind.value[:3]}{i:012d}",
        "status": STATUSES[(i * 17) % len(STATUSES)],
        "agency_code": AGENCIES[i % len(AGENCIES)],
        "holder": holder,
        "issued_on": issued.isoformat(),
        "expires_on": (issued + timedelta(days=1_825)).isoformat(),
        "fields": {field.key: _field_value(field.key, field.choices, i) for field in spec.fields},
    }


def _spoil(line: dict, i: int) -> dict:
    """The mistakes of a real export, one per refused line."""
    reason = (i // 100) % 3
    if reason == 0 and "id_number" in line["holder"]:
        number = line["holder"]["id_number"]
        line["holder"]["id_number"] = number[:-1] + ("0" if number[-1] != "0" else "1")
    elif reason == 1:
        line["type_code"] = "UNKNOWN_TYPE"
    else:
        line["fields"].pop(next(iter(line["fields"])))
    return line


def refused(i: int) -> bool:
    return (i * 37) % 1000 < REFUSED_PER_THOUSAND


def lines(count: int, first: int = 0) -> Iterator[bytes]:
    for i in range(first, first + count):
        line = certificate(i)
        if refused(i):
            line = _spoil(line, i)
        yield json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def expected_refused(count: int, first: int = 0) -> int:
    return sum(refused(i) for i in range(first, first + count))


def write(path: Path, count: int) -> int:
    """Write ``count`` lines to ``path``; its size in bytes."""
    with path.open("wb") as file:
        for line in lines(count):
            file.write(line)
    return path.stat().st_size


if __name__ == "__main__":
    for generated in lines(int(sys.argv[1]) if len(sys.argv) > 1 else 10):
        sys.stdout.buffer.write(generated)
