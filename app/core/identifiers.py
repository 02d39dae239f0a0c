"""Chinese and maritime identifiers, checked the way their standards define them.

Each ``Annotated`` type normalises and validates, raising zh-CN messages that the
validation-error handler shows next to the field.
"""

import re
import string
from datetime import date
from operator import mul
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from app.core.schemas import STRIPPED_WHITESPACE, stripped_pattern

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


_ASCII_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)


def _strip_upper(value: object) -> object:
    # Only ASCII letters change case: "ﬀ".upper() is "FF", which no one means.
    if not isinstance(value, str):
        return value
    return value.strip(STRIPPED_WHITESPACE + "\u2028\u2029").translate(_ASCII_UPPER)


def _schema(pattern: str, **extra: object) -> WithJsonSchema:
    """What the JSON Schema says of an identifier: its syntax (either case, whitespace around)."""
    return WithJsonSchema({"type": "string", "pattern": stripped_pattern(pattern), **extra})


def _refuse(kind: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(kind, message)


def id_card_check_digit(first17: str) -> str:
    if len(first17) != len(_ID_WEIGHTS):
        raise ValueError("17 digits expected")
    # map/mul rather than a generator: this runs for every line of a bulk load.
    return _ID_CHECK[sum(map(mul, map(int, first17), _ID_WEIGHTS)) % 11]


# The syntax of each identifier, as its check below and its JSON Schema say it. Semantic checks
# follow (a real date, the check digit) with error types of their own, which a schema cannot state.
ID_CARD_SYNTAX = r"[1-9][0-9]{16}[0-9X]"
# What the schema says besides: a birth date in 1900–2099 with a month and a day that can exist.
ID_CARD_PATTERN = r"[1-9][0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx]"
CREDIT_CODE_SYNTAX = r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}"
CREDIT_CODE_PATTERN = r"[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{10}"
MOBILE_SYNTAX = MOBILE_PATTERN = r"1[3-9][0-9]{9}"
IMO_SYNTAX = IMO_PATTERN = r"[0-9]{7}"
MMSI_SYNTAX = MMSI_PATTERN = r"[2-7][0-9]{8}"
CALL_SIGN_SYNTAX = r"[A-Z0-9]{3,10}"
CALL_SIGN_PATTERN = r"[A-Za-z0-9]{3,10}"
COUNTRY_CODE_SYNTAX = r"[A-Z]{2}"
COUNTRY_CODE_PATTERN = r"[A-Za-z]{2}"

# Error types of the refusals a schema cannot state (tests/test_fuzz.py lists them as semantic).
ID_CARD_BIRTH_DATE = "id_card.birth_date"
ID_CARD_CHECK_DIGIT = "id_card.check_digit"
CREDIT_CODE_CHECK_CHARACTER = "credit_code.check_character"
IMO_CHECK_DIGIT = "imo.check_digit"


def check_id_card_number(value: str) -> str:
    """GB 11643-1999 citizen identity number: 18 characters, valid birth date and check digit."""
    if not re.fullmatch(ID_CARD_SYNTAX, value):
        raise _refuse("id_card.format", "身份证号码应为18位，最后一位可以是数字或X")
    try:
        birth = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as error:
        raise _refuse(ID_CARD_BIRTH_DATE, "身份证号码中的出生日期无效") from error
    if not date(1900, 1, 1) <= birth <= date.today():
        raise _refuse(ID_CARD_BIRTH_DATE, "身份证号码中的出生日期无效")
    if id_card_check_digit(value[:17]) != value[17]:
        raise _refuse(ID_CARD_CHECK_DIGIT, "身份证号码校验位不正确")
    return value


def credit_code_check_character(first17: str) -> str:
    total = sum(_CREDIT_CHARSET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_CHARSET[(31 - total % 31) % 31]


def check_credit_code(value: str) -> str:
    """GB 32100-2015 unified social credit code: 18 characters with a check character."""
    if not re.fullmatch(CREDIT_CODE_SYNTAX, value):
        raise _refuse("credit_code.format", "统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）")
    if credit_code_check_character(value[:17]) != value[17]:
        raise _refuse(CREDIT_CODE_CHECK_CHARACTER, "统一社会信用代码校验位不正确")
    return value


def check_mobile(value: str) -> str:
    if not re.fullmatch(MOBILE_SYNTAX, value):
        raise _refuse("mobile.format", "请输入11位中国大陆手机号码")
    return value


def imo_check_digit(first6: str) -> str:
    return str(sum(int(d) * w for d, w in zip(first6, range(7, 1, -1), strict=True)) % 10)


def check_imo_number(value: str) -> str:
    """IMO ship identification number: 7 digits, the last a check digit over the first six."""
    if not re.fullmatch(IMO_SYNTAX, value):
        raise _refuse("imo.format", "IMO编号应为7位数字")
    if imo_check_digit(value[:6]) != value[6]:
        raise _refuse(IMO_CHECK_DIGIT, "IMO编号校验位不正确")
    return value


def check_mmsi(value: str) -> str:
    if not re.fullmatch(MMSI_SYNTAX, value):
        raise _refuse("mmsi.format", "MMSI应为9位数字（船舶以2至7开头）")
    return value


def _syntax(pattern: str, kind: str, message: str) -> AfterValidator:
    def check(value: str) -> str:
        if not re.fullmatch(pattern, value):
            raise _refuse(kind, message)
        return value

    return AfterValidator(check)


_NORMALISED = BeforeValidator(_strip_upper)
IdCardNumber = Annotated[
    str, _NORMALISED, AfterValidator(check_id_card_number), _schema(ID_CARD_PATTERN, minLength=18)
]
CreditCode = Annotated[
    str, _NORMALISED, AfterValidator(check_credit_code), _schema(CREDIT_CODE_PATTERN, minLength=18)
]
MobilePhone = Annotated[str, _NORMALISED, AfterValidator(check_mobile), _schema(MOBILE_PATTERN, minLength=11)]
ImoNumber = Annotated[str, _NORMALISED, AfterValidator(check_imo_number), _schema(IMO_PATTERN, minLength=7)]
Mmsi = Annotated[str, _NORMALISED, AfterValidator(check_mmsi), _schema(MMSI_PATTERN, minLength=9)]
CallSign = Annotated[
    str,
    _NORMALISED,
    _syntax(CALL_SIGN_SYNTAX, "call_sign.format", "呼号应为3至10位字母或数字"),
    _schema(CALL_SIGN_PATTERN, minLength=3),
]
CountryCode = Annotated[
    str,
    _NORMALISED,
    _syntax(COUNTRY_CODE_SYNTAX, "country_code.format", "国家或地区代码应为2位字母"),
    _schema(COUNTRY_CODE_PATTERN, minLength=2),
]
