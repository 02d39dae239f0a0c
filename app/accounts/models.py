from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.auth import Role
from app.core.db import Base, IdColumn, UTCDateTime, new_id, utcnow


class User(Base):
    """Anyone who signs in: 个人, 法人/船舶, 执法人员, agency staff, administrators."""

    __tablename__ = "users"
    # The database refuses a role the code does not know (ck_users_role_known), from the same enum.
    __table_args__ = (
        CheckConstraint(f"role IN ({', '.join(repr(role.value) for role in Role)})", name="role_known"),
    )

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    role: Mapped[str] = mapped_column(String(16), index=True)
    display_name: Mapped[str] = mapped_column(String(128))
    username: Mapped[str | None] = mapped_column(String(32), unique=True, comment="lower case")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    phone_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_index: Mapped[str | None] = mapped_column(String(64), index=True)
    agency_code: Mapped[str | None] = mapped_column(ForeignKey("agencies.code"), index=True)
    wechat_openid: Mapped[str | None] = mapped_column(String(64), unique=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    failures_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disabled_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, comment="set by a security administrator"
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, comment="注销: personal data erased; the row keeps the records the law requires"
    )

    def clear_lockout(self) -> None:
        """Forget wrong passwords and codes so far: after a sign-in, a new password, an unlock."""
        self.failed_logins, self.failures_since, self.locked_until = 0, None, None


class PersonalProfile(Base):
    """个人用户: identified by the citizen ID number (one account per number)."""

    __tablename__ = "personal_profiles"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    id_number_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    id_number_index: Mapped[str] = mapped_column(String(64), unique=True)


class CorporateProfile(Base):
    """法人用户 (kind ``company``) or 船舶用户 (kind ``ship``): one account per credit code."""

    __tablename__ = "corporate_profiles"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    company_name: Mapped[str] = mapped_column(String(128))
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    kind: Mapped[str] = mapped_column(String(8))
    operator_name: Mapped[str] = mapped_column(String(64))
    operator_id_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    operator_id_index: Mapped[str] = mapped_column(String(64), index=True)
