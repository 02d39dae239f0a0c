"""Development registry (contract, embedded mode): every person holds a 海船船员适任证书 and a
海员证 issued in their name, the 海员证 close enough to its expiry to show as 即将到期."""

import secrets
from datetime import date, timedelta

from app.core.db import utcnow
from app.core.schemas import china_time
from app.integrations.certificate_registry.base import RegistryCertificate

COC_AGENCY = "SH"
# 签发机关 of the 海员证 is the 中华人民共和国海事局 itself.
PASSPORT_AGENCY = "CN"


def _years_later(day: date, years: int) -> date:
    """The day before the same date ``years`` later: the last day of a validity of that length."""
    try:
        return day.replace(year=day.year + years) - timedelta(days=1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _digits(count: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(count))


class FakeCertificateRegistry:
    async def certificates_of(self, *, name: str, id_number: str) -> list[RegistryCertificate]:
        today = china_time(utcnow()).date()
        person = {
            "gender": "男" if int(id_number[16]) % 2 else "女",
            "birth_date": f"{id_number[6:10]}-{id_number[10:12]}-{id_number[12:14]}",
            "nationality": "中国",
        }
        coc_issued = today - timedelta(days=400)
        # Issued almost five years ago, so that it expires in about two months.
        passport_issued = today - timedelta(days=5 * 365 - 60)
        return [
            RegistryCertificate(
                type_code="SEAFARER_COC_SEA",
                # Legacy layout: 类别 J, 发证机关, 甲板部 1, 等级 1, 职务 2 (大副), year, serial;
                # the serial is widened from 4 to 6 digits so demo numbers do not collide.
                number=f"J{COC_AGENCY}112{coc_issued.year}{_digits(6)}",
                agency_code=COC_AGENCY,
                issued_on=coc_issued,
                expires_on=_years_later(coc_issued, 5),
                fields={
                    **person,
                    "department": "甲板部",
                    "capacity": "大副",
                    "grade": "3000总吨及以上",
                    "navigation_area": "无限航区",
                    "limitations": "无",
                },
            ),
            RegistryCertificate(
                type_code="SEAFARER_PASSPORT",
                number=f"A{_digits(8)}",
                agency_code=PASSPORT_AGENCY,
                issued_on=passport_issued,
                expires_on=_years_later(passport_issued, 5),
                fields=person,
            ),
        ]
