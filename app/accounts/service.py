"""Accounts: registration, look-up by protected identifiers, profile, password and phone."""

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import repository
from app.accounts.identity import VerifiedPerson
from app.accounts.models import CorporateProfile, PersonalProfile, User
from app.accounts.schemas import CorporateInfo, CorporateRegistration, PersonalInfo, UserRead
from app.agencies import repository as agencies
from app.agencies.service import agency_ref
from app.core.auth import OPERATOR_CREATED_ROLES, Role
from app.core.db import utcnow
from app.core.errors import AppError, InvalidInput, NotFound
from app.core.masking import mask_id_number, mask_name, mask_phone
from app.core.pii import PersonalDataCipher
from app.core.schemas import Coded
from app.core.security import hash_password

PHONE = "users.phone"
PERSONAL_ID = "personal_profiles.id_number"
OPERATOR_ID = "corporate_profiles.operator_id"
CORPORATE_KINDS = {"company": "法人用户", "ship": "船舶用户"}


class AccountExists(AppError):
    status = 409
    code = "account.exists"
    title = "该账号已注册"
    keep_changes = True  # the face session and rate-limit counters stay spent


class AccountNotFound(NotFound):
    code = "account.not_found"
    title = "账号不存在，请先注册"
    keep_changes = True  # the face session and rate-limit counters stay spent


def check_password_policy(password: str, *, username: str | None = None, phone: str | None = None) -> None:
    """At least 8 characters from 3 of 4 classes, not containing the username or phone."""
    classes = sum(
        any(test(c) for c in password)
        for test in (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())
    )
    problems = []
    if len(password) < 8 or classes < 3:
        problems.append("密码至少8位，且包含大写字母、小写字母、数字、特殊字符中的至少三类")
    lowered = password.lower()
    if username and username.lower() in lowered:
        problems.append("密码不能包含用户名")
    if phone and phone in password:
        problems.append("密码不能包含手机号码")
    if problems:
        raise InvalidInput([(("body", "password"), "；".join(problems), "password_policy")])


async def register_personal(
    session: AsyncSession, pii: PersonalDataCipher, person: VerifiedPerson, *, phone: str, password: str
) -> User:
    check_password_policy(password, phone=phone)
    user = User(role=Role.personal, display_name=person.name, password_changed_at=utcnow())
    set_phone(user, pii, phone)
    user.password_hash = await hash_password(password)
    profile = PersonalProfile(
        name=person.name,
        id_number_encrypted=pii.encrypt(person.id_number, purpose=PERSONAL_ID),
        id_number_index=pii.blind_index(person.id_number, purpose=PERSONAL_ID),
    )
    await _insert_account(session, user, profile, "该身份证号码已注册个人账号，请直接登录")
    return user


async def register_corporate(
    session: AsyncSession, pii: PersonalDataCipher, registration: CorporateRegistration
) -> User:
    check_password_policy(
        registration.password, username=registration.username, phone=registration.contact_phone
    )
    user = User(
        role=Role.corporate,
        display_name=registration.company_name,
        username=registration.username,
        password_changed_at=utcnow(),
    )
    set_phone(user, pii, registration.contact_phone)
    user.password_hash = await hash_password(registration.password)
    profile = CorporateProfile(
        company_name=registration.company_name,
        credit_code=registration.credit_code,
        kind=registration.kind,
        operator_name=registration.operator_name,
        operator_id_encrypted=pii.encrypt(registration.operator_id_number, purpose=OPERATOR_ID),
        operator_id_index=pii.blind_index(registration.operator_id_number, purpose=OPERATOR_ID),
    )
    await _insert_account(session, user, profile, "该统一社会信用代码或用户名已注册，请直接登录")
    return user


async def _insert_account(
    session: AsyncSession, user: User, profile: PersonalProfile | CorporateProfile, taken: str
) -> None:
    # The unique indexes decide, so two concurrent registrations cannot both succeed.
    try:
        await repository.insert_account(session, user, profile)
    except IntegrityError as error:
        raise AccountExists(taken) from error


def set_phone(user: User, pii: PersonalDataCipher, phone: str) -> None:
    user.phone_encrypted = pii.encrypt(phone, purpose=PHONE)
    user.phone_index = pii.blind_index(phone, purpose=PHONE)


async def personal_account(session: AsyncSession, pii: PersonalDataCipher, person: VerifiedPerson) -> User:
    """The personal account of a face-verified person (same ID number and name)."""
    found = await repository.personal_by_id_index(
        session, pii.blind_index(person.id_number, purpose=PERSONAL_ID)
    )
    if found is None or found[1].name != person.name:
        raise AccountNotFound()
    return found[0]


async def identity_of(session: AsyncSession, pii: PersonalDataCipher, user: User) -> VerifiedPerson | None:
    """Whose face stands for this account: the person, or a corporate account's operator."""
    if user.role == Role.personal:
        profile = await repository.personal_profile(session, user.id)
        return VerifiedPerson(profile.name, pii.decrypt(profile.id_number_encrypted, purpose=PERSONAL_ID))
    if user.role == Role.corporate:
        corporate = await repository.corporate_profile(session, user.id)
        return VerifiedPerson(
            corporate.operator_name, pii.decrypt(corporate.operator_id_encrypted, purpose=OPERATOR_ID)
        )
    return None


async def set_password(user: User, new_password: str, pii: PersonalDataCipher) -> None:
    check_password_policy(new_password, username=user.username, phone=phone_of(user, pii))
    user.password_hash = await hash_password(new_password)
    user.password_changed_at = utcnow()
    user.clear_lockout()


def phone_of(user: User, pii: PersonalDataCipher) -> str | None:
    return pii.decrypt(user.phone_encrypted, purpose=PHONE) if user.phone_encrypted else None


def _shown(value: str, mask, unmasked: bool) -> str:
    return value if unmasked else mask(value)


async def profile(
    session: AsyncSession, pii: PersonalDataCipher, user: User, *, unmasked: bool = False
) -> UserRead:
    """The account as its owner sees it: every personal field masked, except in the owner's export."""
    phone = phone_of(user, pii)
    read = UserRead(
        id=user.id,
        role=Coded(code=user.role, label=Role(user.role).label),
        display_name=_shown(user.display_name, mask_name, unmasked or user.role != Role.personal),
        username=user.username,
        phone=_shown(phone, mask_phone, unmasked) if phone else None,
        wechat_bound=user.wechat_openid is not None,
        created_at=user.created_at,
    )
    if user.role == Role.personal:
        person = await identity_of(session, pii, user)
        read.personal = PersonalInfo(
            name=_shown(person.name, mask_name, unmasked),
            id_number=_shown(person.id_number, mask_id_number, unmasked),
        )
    elif user.role == Role.corporate:
        corporate = await repository.corporate_profile(session, user.id)
        operator = await identity_of(session, pii, user)
        read.corporate = CorporateInfo(
            company_name=corporate.company_name,
            credit_code=corporate.credit_code,
            kind=Coded(code=corporate.kind, label=CORPORATE_KINDS[corporate.kind]),
            operator_name=_shown(operator.name, mask_name, unmasked),
            operator_id_number=_shown(operator.id_number, mask_id_number, unmasked),
        )
    if user.agency_code:
        read.agency = agency_ref(await agencies.get_agency(session, user.agency_code))
    return read


async def create_operator_account(
    session: AsyncSession,
    *,
    role: Role,
    username: str,
    name: str,
    password: str,
    agency_code: str | None,
    initial: bool = False,
) -> User:
    """Officers, staff and administrators are created by an operator, never self-registered.

    With ``initial`` the password is a one-time initial credential: the holder replaces it at
    the first sign-in (``auth.password_expired``) before anything else."""
    if role not in OPERATOR_CREATED_ROLES:
        raise ValueError(f"{role} accounts register themselves")
    if role in (Role.staff, Role.officer) and agency_code is None:
        raise ValueError("staff and officers belong to an agency (--agency)")
    if agency_code is not None and await agencies.get_agency(session, agency_code) is None:
        raise ValueError(f"unknown agency {agency_code}")
    check_password_policy(password, username=username)
    user = User(
        role=role,
        display_name=name,
        username=username.lower(),
        agency_code=agency_code,
        password_hash=await hash_password(password),
        password_changed_at=None if initial else utcnow(),
    )
    try:
        await repository.insert_user(session, user)
    except IntegrityError as error:
        raise AccountExists(f"用户名 {username} 已存在") from error
    return user
