from enum import StrEnum


class LabelledEnum(StrEnum):
    """A stable code with the zh-CN label users see: ``Business.crew.label == "船员管理"``."""

    label: str

    def __new__(cls, value: str, label: str) -> "LabelledEnum":
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member
