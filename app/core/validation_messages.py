"""zh-CN messages for pydantic validation errors, keyed by the stable error ``type``.

Every message is plain Chinese for the person filling in the form: pydantic's English defaults
never reach a client. Our own checks raise ``PydanticCustomError`` (or ``ValueError``) with a zh-CN
message, which is kept as it is.
"""

import re
from typing import Any

_MESSAGES: dict[str, str] = {
    "missing": "此项为必填项",
    "extra_forbidden": "不允许提交此字段",
    "none_required": "此项不应填写",
    "string_type": "必须是文本",
    "string_too_short": "长度不能少于 {min_length} 个字符",
    "string_too_long": "长度不能超过 {max_length} 个字符",
    "string_pattern_mismatch": "格式不正确",
    "string_not_ascii": "只能包含英文字母、数字和符号",
    "string_unicode": "包含无效字符",
    "int_type": "必须是整数",
    "int_parsing": "必须是整数",
    "int_parsing_size": "整数超出范围",
    "int_from_float": "必须是整数",
    "float_type": "必须是数字",
    "float_parsing": "必须是数字",
    "finite_number": "必须是有限的数字",
    "multiple_of": "必须是 {multiple_of} 的倍数",
    "decimal_type": "必须是数字",
    "decimal_parsing": "必须是数字",
    "decimal_max_digits": "数字位数过多",
    "decimal_max_places": "小数位数过多",
    "decimal_whole_digits": "整数位数过多",
    "bool_type": "必须是布尔值",
    "bool_parsing": "必须是布尔值",
    "greater_than": "必须大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "必须小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "literal_error": "取值必须是以下之一：{expected}",
    "enum": "取值必须是以下之一：{expected}",
    "list_type": "必须是列表",
    "tuple_type": "必须是列表",
    "set_type": "必须是列表",
    "frozen_set_type": "必须是列表",
    "iterable_type": "必须是列表",
    "set_item_not_hashable": "列表中的项目无效",
    "too_short": "至少需要 {min_length} 项",
    "too_long": "最多允许 {max_length} 项",
    "dict_type": "必须是对象",
    "mapping_type": "必须是对象",
    "model_type": "必须是对象",
    "model_attributes_type": "必须是对象",
    "dataclass_type": "必须是对象",
    "invalid_key": "字段名必须是文本",
    "union_tag_invalid": "类型不正确",
    "union_tag_not_found": "缺少类型字段",
    "date_type": "必须是日期（YYYY-MM-DD）",
    "date_parsing": "必须是日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "必须是日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "必须是日期，不能带时间",
    "date_past": "必须是过去的日期",
    "date_future": "必须是将来的日期",
    "time_type": "必须是时间（HH:MM:SS）",
    "time_parsing": "必须是时间（HH:MM:SS）",
    "datetime_type": "必须是带时区的时间（ISO 8601）",
    "datetime_parsing": "必须是带时区的时间（ISO 8601）",
    "datetime_object_invalid": "时间无效",
    "datetime_from_date_parsing": "必须是带时区的时间（ISO 8601）",
    "datetime_past": "必须是过去的时间",
    "datetime_future": "必须是将来的时间",
    "timezone_naive": "时间不能带时区",
    "timezone_aware": "时间必须带时区",
    "timezone_offset": "时区不正确",
    "time_delta_type": "必须是时长",
    "time_delta_parsing": "必须是时长",
    "uuid_type": "标识格式不正确",
    "uuid_parsing": "标识格式不正确",
    "uuid_version": "标识格式不正确",
    "url_type": "必须是网址",
    "url_parsing": "网址格式不正确",
    "url_syntax_violation": "网址格式不正确",
    "url_too_long": "网址过长",
    "url_scheme": "网址协议不正确",
    "bytes_type": "必须是文本",
    "bytes_too_short": "长度不能少于 {min_length} 个字节",
    "bytes_too_long": "长度不能超过 {max_length} 个字节",
    "bytes_invalid_encoding": "编码无效",
    "json_invalid": "请求内容不是有效的 JSON",
    "json_type": "请求内容不是有效的 JSON",
    "recursion_loop": "内容嵌套过深",
    "recursion_depth_exceeded": "内容嵌套过深",
    "value_error": "{reason}",
    "assertion_error": "{reason}",
    "control_characters": "不能包含控制字符",
    "invisible_characters": "不能包含不可见字符或文字方向控制符",
}

_FALLBACK = "取值无效"
_CHINESE = re.compile(r"[\u3400-\u9fff]")


def _choices(expected: Any) -> str:
    """pydantic's ``'a', 'b' or 'c'`` as ``a、b、c``."""
    return re.sub(r"', '|' or '", "、", str(expected)).strip("'")


def _own_message(error: dict[str, Any]) -> str:
    """The zh-CN message of one of our checks (``ValueError`` or ``PydanticCustomError``)."""
    reason = (error.get("ctx") or {}).get("error")
    message = str(reason) if reason is not None else str(error.get("msg", ""))
    return message if _CHINESE.search(message) else _FALLBACK


def translate(error: dict[str, Any]) -> dict[str, Any]:
    """Turn one pydantic error into ``{loc, msg, type}`` with a zh-CN ``msg``."""
    kind = error.get("type", "")
    template = _MESSAGES.get(kind)
    if template is None or template == "{reason}":
        # Our own checks: their type is a stable code of ours, their message zh-CN already.
        message = _own_message(error)
    else:
        context = dict(error.get("ctx") or {})
        if "expected" in context:
            context["expected"] = _choices(context["expected"])
        try:
            message = template.format(**context)
        except (KeyError, IndexError):
            message = _FALLBACK
    return {"loc": list(error.get("loc", ())), "msg": message, "type": kind}


# What a person calls each field of a request, for the one-line ``detail`` of a 422
# ("手机号码：请输入11位中国大陆手机号码"); fields not listed are described by their message alone.
FIELD_LABELS: dict[str, str] = {
    "Idempotency-Key": "幂等键",
    "If-Match": "版本号",
    "accepted": "同意次数",
    "account_id": "账号",
    "action": "操作",
    "actor_id": "操作人",
    "agency": "海事机构",
    "agency_code": "海事机构",
    "application_id": "办件",
    "application_no": "申请编号",
    "article_id": "帮助文章",
    "audience": "服务对象",
    "binding_ticket": "微信绑定凭证",
    "business": "业务分类",
    "call_sign": "呼号",
    "certificate_id": "证照",
    "certificate_no": "证书编号",
    "code": "验证码",
    "comment": "意见",
    "company_name": "单位名称",
    "consent": "同意记录",
    "contact_name": "联系人",
    "contact_phone": "联系人手机号码",
    "correction_id": "纠错申请",
    "credit_code": "统一社会信用代码",
    "cursor": "分页游标",
    "event": "事件",
    "face_session_id": "人脸识别会话",
    "field": "纠错项目",
    "file": "文件",
    "finished": "办结状态",
    "flag": "船旗国",
    "form": "表单",
    "gross_tonnage": "总吨",
    "holder_name": "持证人姓名",
    "id_number": "身份证号码",
    "imo_number": "IMO编号",
    "item_code": "事项",
    "key": "材料项或字段",
    "kind": "类型",
    "limit": "每页条数",
    "material_id": "材料",
    "material_ids": "证明材料",
    "materials": "材料",
    "message_id": "消息",
    "method": "识别方式",
    "missing_materials": "需补正的材料",
    "mmsi": "MMSI",
    "name": "名称",
    "nature": "事项性质",
    "new_password": "新密码",
    "new_phone": "新手机号码",
    "notice_id": "文书",
    "object_id": "对象",
    "object_type": "对象类型",
    "online": "在线办理",
    "operator_id_number": "经办人身份证号码",
    "operator_name": "经办人姓名",
    "outcome": "结果",
    "password": "密码",
    "phone": "手机号码",
    "port_of_registry": "船籍港",
    "proposed_value": "正确的内容",
    "purpose": "用途",
    "q": "搜索内容",
    "rating": "评价等级",
    "reason": "原因",
    "refresh_token": "刷新令牌",
    "request_id": "申请",
    "role": "角色",
    "ship_id": "船舶",
    "ship_type": "船舶种类",
    "since": "起始时间",
    "slot": "材料项",
    "status": "状态",
    "supplement_items": "需补正的项目",
    "tags": "评价标签",
    "target": "补正对象",
    "template_id": "订阅消息模板",
    "ticket": "登录凭证",
    "token": "二维码",
    "type": "类型",
    "unread": "未读",
    "until": "截止时间",
    "username": "用户名",
    "variant": "文件版本",
    "verify_result": "人脸识别结果",
    "version": "文本版本",
}


def field_label(loc: list[Any]) -> str | None:
    """The zh-CN name of the field at ``loc`` (its last named step), if it has one."""
    names = [step for step in loc[1:] if isinstance(step, str)]
    return FIELD_LABELS.get(names[-1]) if names else None


def summary(errors: list[dict[str, Any]], limit: int = 5) -> str:
    """One line for a person: "手机号码：请输入11位中国大陆手机号码；密码：长度不能少于 8 个字符"."""
    parts = []
    for error in errors[:limit]:
        label = field_label(error["loc"])
        part = f"{label}：{error['msg']}" if label else error["msg"]
        if part not in parts:
            parts.append(part)
    return "；".join(parts)
