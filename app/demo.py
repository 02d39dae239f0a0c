"""Demo accounts of the contract (development only; production refuses DEMO_DATA)."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import service as accounts
from app.accounts.models import User
from app.accounts.schemas import CorporateRegistration
from app.auth import second_factor
from app.auth.models import SecondFactor
from app.core.auth import SECOND_FACTOR_ROLES, Role
from app.core.pii import PersonalDataCipher
from app.ships.models import Ship

DEMO_PASSWORD = "Demo@12345"
# The TOTP secret of every demo account that needs a second factor (documented in the README):
# add it to an authenticator app, or compute codes with pyotp.TOTP(DEMO_TOTP_SECRET).now().
DEMO_TOTP_SECRET = "HAISHIYIWANGTONGBANDEMOTOTP23456"

STAFF_ACCOUNTS = (
    # username, role, name, agency
    ("demo-sysadmin", Role.sysadmin, "演示系统管理员", None),
    ("demo-secadmin", Role.secadmin, "演示安全管理员", None),
    ("demo-auditor", Role.auditor, "演示审计管理员", None),
    ("demo-officer", Role.officer, "演示执法人员", "SH"),
    ("demo-staff", Role.staff, "演示受理人员（部局）", "CN"),
    ("demo-staff-sh", Role.staff, "演示受理人员（上海）", "SH"),
)

DEMO_CORPORATE = CorporateRegistration(
    company_name="上海海港示例航运有限公司",
    credit_code="91310115MA1K3Y8Q5Q",
    kind="company",
    operator_name="王海明",
    operator_id_number="310115198503122018",
    contact_phone="13800138000",
    username="demo-corp",
    password=DEMO_PASSWORD,
)

# The ships the /online-items examples refer to.
DEMO_SHIPS = (
    {
        "name": "海港明珠",
        "imo_number": "9876543",
        "mmsi": "413123450",
        "call_sign": "BQHM",
        "flag": "CN",
        "ship_type": "散货船",
        "gross_tonnage": 38500,
    },
    {
        "name": "东方通达",
        "imo_number": "9123453",
        "mmsi": "413654320",
        "call_sign": "BQDF",
        "flag": "CN",
        "ship_type": "集装箱船",
        "gross_tonnage": 52000,
    },
)


async def load_demo_accounts(session: AsyncSession, pii: PersonalDataCipher) -> None:
    existing = set(await session.scalars(select(User.username).where(User.username.like("demo-%"))))
    for username, role, name, agency in STAFF_ACCOUNTS:
        if username not in existing:
            await accounts.create_operator_account(
                session, role=role, username=username, name=name, password=DEMO_PASSWORD, agency_code=agency
            )
    await _enrol_demo_second_factors(session, pii)
    if DEMO_CORPORATE.username not in existing:
        corporate = await accounts.register_corporate(session, pii, DEMO_CORPORATE)
        session.add_all(Ship(owner_id=corporate.id, **ship) for ship in DEMO_SHIPS)
        await session.flush()


async def _enrol_demo_second_factors(session: AsyncSession, pii: PersonalDataCipher) -> None:
    usernames = [username for username, role, *_ in STAFF_ACCOUNTS if role in SECOND_FACTOR_ROLES]
    unenrolled = await session.scalars(
        select(User)
        .outerjoin(SecondFactor, SecondFactor.user_id == User.id)
        .where(User.username.in_(usernames), SecondFactor.user_id.is_(None))
    )
    for user in unenrolled.all():
        await second_factor.enrol(session, pii, user, DEMO_TOTP_SECRET)
