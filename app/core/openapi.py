"""The OpenAPI document: zh-CN metadata, and errors documented as problem+json."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

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

# Tags are ASCII (a generated client names its modules after them); ``x-displayName`` is what
# Redoc and Swagger UI show. Every tag an operation uses is declared here
# (tests/test_openapi_document.py).
TAGS = [
    {"name": name, "x-displayName": display, "description": description}
    for name, display, description in [
        ("agencies", "海事机构", "选择海事机构：部海事局 → 直属海事局 → 分支海事局 → 海事处"),
        ("catalog", "事项查询", "事项查询、政务服务分类与办事指南"),
        ("online-items", "在线办理事项", "可在线办理的事项及其表单定义"),
        ("reference", "基础数据", "表单选择项：港口、国家和地区、燃油供应商、不符合的规定项"),
        ("help", "帮助指引", "操作说明"),
        ("auth", "登录注册", "微信绑定、人脸识别、个人/法人注册与登录、令牌"),
        ("me", "用户信息", "个人中心：用户信息、修改密码、修改手机号码"),
        ("ships", "我的船舶", "法人/船舶用户申报所用的船舶"),
        ("messages", "我的消息", "办件、证照等的提醒消息"),
        ("materials", "我的材料", "上传过的材料，可在在线办理时直接使用"),
        ("applications", "在线办理", "申报、提交、撤回与取消办件，查看通知书"),
        ("staff-applications", "受理与审批", "受理人员：本机构及下级机构的办件队列与审批决定"),
        ("evaluations", "好差评", "办件办结后的服务评价"),
        ("public", "便民查询", "办件查询、证书查询（无需登录）"),
        ("certificates", "我的证照", "我的证照、亮证、证照纠错与我的纠错"),
        ("officer", "执法检查", "执法人员扫码核验亮证二维码；验证二维码的公钥（JWKS）"),
        ("staff-corrections", "证照纠错审核", "受理审批人员处理本机构及下级机构签发证照的纠错申请"),
        ("privacy", "个人信息保护", "同意、个人信息导出与注销账号"),
        ("admin", "系统管理员", "系统状态与运维操作"),
        ("admin-security", "安全管理员", "管理员账号：创建、解锁、停用、启用与重置双因素认证"),
        ("admin-requests", "管理员账号双人复核", "管理员账号变更的申请与复核"),
        ("audit", "安全审计", "审计日志查询"),
        ("oauth", "系统对接令牌", "对接系统以客户端凭据（OAuth 2.0 client credentials）获取访问令牌"),
        ("admin-agencies", "待确认的海事机构", "系统管理员确认或驳回公开来源中可信度低的海事机构"),
        ("admin-dataset", "数据维护与发布", "系统管理员编辑数据草稿（机构、事项与办事指南、选择项），预览差异，发布为新的数据版本"),
        ("clients", "对接系统管理", "系统管理员登记对接系统（机器客户端）、轮换密钥、吊销"),
        ("registry", "证照推送", "发证系统推送证照，逐张或批量（NDJSON）"),
        ("backoffice", "办件对接", "海事业务系统（机器客户端）：查询本机构及下级机构的办件，作出决定"),
        ("webhooks", "事件订阅", "订阅办件与证照事件（签名的 Webhook）、查看与重发投递"),
        ("ops", "运维", "健康检查"),
    ]
]


def operation_id(route: APIRoute) -> str:
    """An operation's id is its route function's name: short and stable, what a generated client
    names its functions (tests/test_openapi_document.py keeps them unique snake_case ASCII)."""
    return route.name


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
