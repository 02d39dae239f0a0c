from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base


class HelpArticle(Base):
    """帮助指引: how to follow one flow of the mini program."""

    __tablename__ = "help_articles"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    category: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, comment="light Markdown")
