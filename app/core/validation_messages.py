"""zh-CN messages for pydantic validation errors, keyed by the stable error ``type``."""

from typing import Any

_MESSAGES: dict[str, str] = {
    "missing": "此项为必填项",
    "extra_forbidden": "不允许提交此字段",
    "string_type": "必须是文本",
    "string_too_short": "长度不能少于 {min_length} 个字符",
    "string_too_long": "长度不能超过 {max_length} 个字符",
    "string_pattern_mismatch": "格式不正确",
    "int_type": "必须是整数",
    "int_parsing": "必须是整数",
    "int_from_float": "必须是整数",
    "float_type": "必须是数字",
    "float_parsing": "必须是数字",
    "bool_type": "必须是布尔值（true 或 false）",
    "bool_parsing": "必须是布尔值（true 或 false）",
    "greater_than": "必须大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "必须小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "literal_error": "取值必须是以下之一：{expected}",
    "enum": "取值必须是以下之一：{expected}",
    "list_type": "必须是列表",
    "too_short": "至少需要 {min_length} 项",
    "too_long": "最多允许 {max_length} 项",
    "dict_type": "必须是对象",
    "model_type": "必须是对象",
    "model_attributes_type": "必须是对象",
    "date_type": "必须是日期（YYYY-MM-DD）",
    "date_parsing": "必须是日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "必须是日期（YYYY-MM-DD）",
    "datetime_type": "必须是带时区的时间（ISO 8601）",
    "datetime_parsing": "必须是带时区的时间（ISO 8601）",
    "timezone_aware": "时间必须带时区",
    "uuid_parsing": "标识格式不正确",
    "json_invalid": "请求体不是有效的 JSON",
    "json_type": "请求体不是有效的 JSON",
    "value_error": "{reason}",
    "assertion_error": "{reason}",
    "string_unicode": "包含无效字符",
    "invisible_characters": "不能包含不可见字符或文字方向控制符（如 U+202E、U+200B）",
}

_FALLBACK = "取值无效"


def translate(error: dict[str, Any]) -> dict[str, Any]:
    """Turn one pydantic error into ``{loc, msg, type}`` with a zh-CN ``msg``."""
    kind = error.get("type", "")
    context = dict(error.get("ctx") or {})
    # Custom validators raise ValueError("<zh text>"); pydantic prefixes "Value error, ".
    context["reason"] = str(context.get("error", "")) or error.get("msg", _FALLBACK)
    template = _MESSAGES.get(kind, _FALLBACK)
    try:
        message = template.format(**context)
    except (KeyError, IndexError):
        message = _FALLBACK
    return {"loc": list(error.get("loc", ())), "msg": message, "type": kind}
