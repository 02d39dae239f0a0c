"""Chinese and maritime identifiers, checked the way their standards define them.

Each ``Annotated`` type normalises and validates, raising zh-CN messages that the
validation-error handler shows next to the field.
"""

import re
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, StringConstraints

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _strip_upper(value: object) -> object:
    return value.strip().upper() if isinstance(value, str) else value


def id_card_check_digit(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def check_id_card_number(value: str) -> str:
    """GB 11643-1999 citizen identity number: 18 characters, valid birth date and check digit."""
    if not re.fullmatch(r"[1-9]\d{16}[\dX]", value):
        raise ValueError("身份证号码应为18位，最后一位可以是数字或X")
    try:
        birth = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as error:
        raise ValueError("身份证号码中的出生日期无效") from error
    if not date(1900, 1, 1) <= birth <= date.today():
        raise ValueError("身份证号码中的出生日期无效")
    if id_card_check_digit(value[:17]) != value[17]:
        raise ValueError("身份证号码校验位不正确")
    return value


def credit_code_check_character(first17: str) -> str:
    total = sum(_CREDIT_CHARSET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_CHARSET[(31 - total % 31) % 31]


def check_credit_code(value: str) -> str:
    """GB 32100-2015 unified social credit code: 18 characters with a check character."""
    if not re.fullmatch(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}", value):
        raise ValueError("统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）")
    if credit_code_check_character(value[:17]) != value[17]:
        raise ValueError("统一社会信用代码校验位不正确")
    return value


def check_mobile(value: str) -> str:
    if not re.fullmatch(r"1[3-9]\d{9}", value):
        raise ValueError("请输入11位中国大陆手机号码")
    return value


def imo_check_digit(first6: str) -> str:
    return str(sum(int(d) * w for d, w in zip(first6, range(7, 1, -1), strict=True)) % 10)


def check_imo_number(value: str) -> str:
    """IMO ship identification number: 7 digits, the last a check digit over the first six."""
    if not re.fullmatch(r"\d{7}", value):
        raise ValueError("IMO编号应为7位数字")
    if imo_check_digit(value[:6]) != value[6]:
        raise ValueError("IMO编号校验位不正确")
    return value


def check_mmsi(value: str) -> str:
    if not re.fullmatch(r"[2-7]\d{8}", value):
        raise ValueError("MMSI应为9位数字（船舶以2至7开头）")
    return value


IdCardNumber = Annotated[str, BeforeValidator(_strip_upper), AfterValidator(check_id_card_number)]
CreditCode = Annotated[str, BeforeValidator(_strip_upper), AfterValidator(check_credit_code)]
MobilePhone = Annotated[str, BeforeValidator(_strip_upper), AfterValidator(check_mobile)]
ImoNumber = Annotated[str, BeforeValidator(_strip_upper), AfterValidator(check_imo_number)]
Mmsi = Annotated[str, BeforeValidator(_strip_upper), AfterValidator(check_mmsi)]
CallSign = Annotated[str, BeforeValidator(_strip_upper), StringConstraints(pattern=r"^[A-Z0-9]{3,10}$")]
CountryCode = Annotated[str, BeforeValidator(_strip_upper), StringConstraints(pattern=r"^[A-Z]{2}$")]
