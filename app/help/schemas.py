from pydantic import Field

from app.core.schemas import AppModel


class HelpArticleSummary(AppModel):
    id: str = Field(examples=["login-personal-face"])
    category: str = Field(examples=["登录注册"])
    title: str = Field(examples=["个人刷脸登录"])
    summary: str


class HelpArticleRead(HelpArticleSummary):
    body: str = Field(description="正文（简单 Markdown）")
