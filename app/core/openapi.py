"""The OpenAPI document: zh-CN metadata, and errors documented as problem+json."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from app.core.errors import PROBLEM_MEDIA_TYPE, PayloadTooLarge, example
from app.core.schemas import FORM_VALUE_SCHEMA

DESCRIPTION = """
海事一网通办（China MSA one-stop maritime services）开放参考实现的接口。

- 所有业务接口位于 `/api/v1`；运维接口（`/healthz`、`/readyz`、`/openapi.json`）与亮证验证公钥
  `/.well-known/jwks.json` 位于根路径。
- 错误统一以 `application/problem+json`（RFC 9457）返回，`title` 为可直接展示给用户的中文提示，
  `code` 为稳定的机器可读错误码，`request_id` 与响应头 `X-Request-ID` 一致。
- 列表接口使用 `limit`（1–100）与 `cursor` 游标分页。
"""

TAGS = [
    {"name": "海事机构", "description": "选择海事机构：部海事局 → 直属海事局 → 分支海事局 → 海事处"},
    {"name": "事项查询", "description": "事项查询、政务服务分类与办事指南"},
    {"name": "在线办理", "description": "可在线办理的事项及其表单定义"},
    {"name": "基础数据", "description": "表单选择项：港口、国家和地区、燃油供应商、不符合的规定项"},
    {"name": "帮助指引", "description": "操作说明"},
    {"name": "登录注册", "description": "微信绑定、人脸识别、个人/法人注册与登录、令牌"},
    {"name": "用户信息", "description": "个人中心：用户信息、修改密码、修改手机号码"},
    {"name": "我的船舶", "description": "法人/船舶用户申报所用的船舶"},
    {"name": "我的消息", "description": "办件、证照等的提醒消息"},
    {"name": "我的材料", "description": "上传过的材料，可在在线办理时直接使用"},
    {"name": "受理与审批", "description": "受理人员：本机构及下级机构的办件队列与审批决定"},
    {"name": "办件对接", "description": "海事业务系统（机器客户端）：查询本机构及下级机构的办件，作出决定"},
    {"name": "好差评", "description": "办件办结后的服务评价"},
    {"name": "便民查询", "description": "办件查询、证书查询（无需登录）"},
    {"name": "我的证照", "description": "我的证照、亮证、证照纠错与我的纠错"},
    {"name": "执法检查", "description": "执法人员扫码核验亮证二维码；验证二维码的公钥（JWKS）"},
    {"name": "证照纠错审核", "description": "受理审批人员处理本机构及下级机构签发证照的纠错申请"},
    {"name": "运维", "description": "健康检查"},
]


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=DESCRIPTION,
                routes=app.routes,
                tags=TAGS,
            )
            _errors_as_problem_json(schema)
            _body_limit_documented(schema)
            # Referred to by app.core.schemas.FormObject (pydantic cannot name a recursive schema of it).
            schema.setdefault("components", {}).setdefault("schemas", {})["FormValue"] = FORM_VALUE_SCHEMA
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _errors_as_problem_json(schema: dict[str, Any]) -> None:
    problem_ref = {"$ref": "#/components/schemas/Problem"}
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if int(status) >= 400 and "application/json" in content:
                    content[PROBLEM_MEDIA_TYPE] = content.pop("application/json")
                    # FastAPI's default 422 model is not what this API sends.
                    if (
                        content[PROBLEM_MEDIA_TYPE]
                        .get("schema", {})
                        .get("$ref", "")
                        .endswith("/HTTPValidationError")
                    ):
                        content[PROBLEM_MEDIA_TYPE]["schema"] = problem_ref
    components = schema.get("components", {}).get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)


def _body_limit_documented(schema: dict[str, Any]) -> None:
    """Every operation that takes a body may answer 413 (``max_body_size`` in app.api)."""
    response = {
        "description": PayloadTooLarge.title,
        "content": {
            PROBLEM_MEDIA_TYPE: {
                "schema": {"$ref": "#/components/schemas/Problem"},
                "examples": {
                    PayloadTooLarge.code: {
                        "summary": PayloadTooLarge.title,
                        "value": example(PayloadTooLarge),
                    }
                },
            }
        },
    }
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            if "requestBody" in operation:
                operation["responses"].setdefault("413", response)
