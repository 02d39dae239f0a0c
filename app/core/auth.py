"""Who is calling: roles and the authenticated principal every protected route receives."""

from dataclasses import dataclass

from app.core.enums import LabelledEnum
from app.core.errors import AppError


class Role(LabelledEnum):
    personal = "personal", "个人用户"
    corporate = "corporate", "法人用户"
    officer = "officer", "执法人员"
    staff = "staff", "受理审批人员"
    admin = "admin", "管理员"


@dataclass(frozen=True)
class Principal:
    user_id: str
    role: Role
    session_id: str
    agency_code: str | None = None


class NotAuthenticated(AppError):
    status = 401
    code = "auth.not_authenticated"
    title = "请先登录"


class TokenInvalid(AppError):
    status = 401
    code = "auth.token_invalid"
    title = "登录已失效，请重新登录"


class Forbidden(AppError):
    status = 403
    code = "auth.forbidden"
    title = "无权执行此操作"


# What a protected route may answer before it runs: for OpenAPI `responses`.
SIGNED_IN_ERRORS = (NotAuthenticated, TokenInvalid)
ROLE_ERRORS = (NotAuthenticated, TokenInvalid, Forbidden)
