"""Certificates pushed by the authority's registry (``CERTIFICATE_REGISTRY=push``).

The registry owns its certificates: it pushes what it issues and changes, keyed by its own id
and versioned by ``source_version``. :func:`apply_pushes` is the one way in, for a single
``PUT`` (a batch of one) and for the bulk load alike, and works on a batch as a set: one
SELECT of what is stored, one of the agencies, one holder resolution, one INSERT … ON CONFLICT
and the outbox rows, all in the caller's transaction, never a round trip per certificate.

A push older than what is stored is ignored (registries resend), the same push twice changes
nothing, and a certificate whose holder has not registered yet is kept with the holder's key
(the blind index of their ID number, or the credit code) until they do
(:func:`claim_for_person` / :func:`claim_for_company`, from the registration hooks).
"""

import json
from json.encoder import encode_basestring
from collections.abc import Sequence
from dataclasses import dataclass, replace
from operator import itemgetter
from datetime import datetime
from typing import Any

import asyncpg
from sqlalchemy import String, any_, bindparam, func, or_, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import CorporateProfile, PersonalProfile, User
from app.accounts.service import PERSONAL_ID
from app.agencies.models import Agency
from app.certificates.models import Certificate, RegistryStatus
from app.certificates.schemas import (
    CertificatePush,
    CertificatePushBody,
    PushedCertificate,
    PushedHolder,
    PushedHolderRead,
    PushResult,
)
from app.certificates.types import CertificateType
from app.core.db import upsert_statement, utcnow
from app.core.errors import AppError, InvalidInput, NotFound
from app.core.pii import PersonalDataCipher
from app.integrations.storage.base import ObjectStorage, put_bytes
from app.outbox.service import publish, publish_many, time_ordered_ids

# Keyed digests of whole pushes: a resend is recognised without storing what it said.
PUSH_DIGEST = "certificates.push"
PHOTO_PREFIX = "certificates/photos"


class CertificateNumberTaken(AppError):
    status = 409
    code = "registry.number_taken"
    title = "该证书编号已属于另一张证照"


class SourceVersionConflict(AppError):
    status = 409
    code = "registry.version_conflict"
    title = "该版本号已推送过不同的内容，变更须使用更高的版本号"


class PushedCertificateNotFound(NotFound):
    code = "registry.certificate_not_found"
    title = "未找到该登记系统标识的证照"


def unknown_agency(code: str) -> InvalidInput:
    return InvalidInput([(("body", "agency_code"), f"签发机关代码「{code}」不存在", "unknown_agency")])


@dataclass(frozen=True)
class PushOutcome:
    """What one push came to. ``refusal`` is set when it was refused (nothing of it written);
    otherwise ``applied`` says whether what is stored now is this push (an older version than
    stored is not), ``created`` whether the push created the certificate."""

    registry_id: str
    certificate_id: str | None = None
    source_version: int | None = None
    applied: bool = False
    created: bool = False
    holder_matched: bool = False
    status: str | None = None
    refusal: AppError | None = None
    # Whether this push wrote the row (false for a resend of what is stored): the bulk load's
    # accepted/unchanged count.
    changed: bool = False

    def result(self) -> PushResult:
        """The API's answer (for an outcome without refusal)."""
        assert self.refusal is None and self.certificate_id is not None
        return PushResult(
            registry_id=self.registry_id,
            certificate_id=self.certificate_id,
            source_version=self.source_version,
            applied=self.applied,
            holder_matched=self.holder_matched,
            status=self.status,
        )


def holder_key(pii: PersonalDataCipher, holder: PushedHolder) -> str:
    """How the holder is found among accounts: a person by the blind index of their ID number
    (the one ``personal_profiles.id_number_index`` holds), a company by its credit code."""
    if holder.kind == "person":
        return pii.blind_index(holder.id_number, purpose=PERSONAL_ID)
    return holder.credit_code


def prepared(pii: PersonalDataCipher, push: CertificatePush) -> tuple[str, str]:
    """What :func:`apply_pushes` computes of each push before it looks at the database: its
    holder key and its digest. A bulk load computes them as it reads each line, while the
    database writes the batch before."""
    return holder_key(pii, push.holder), push_digest(pii, push)


def push_digest(pii: PersonalDataCipher, push: CertificatePush) -> str:
    """Keyed (HMAC) digest of everything a push says but its registry id: of the text
    ``json.dumps`` gives (``ensure_ascii=False``, default separators) of the list
    ``[source_version, type_code, number, status, agency_code, holder.kind, holder.name,
    holder.id_number, holder.credit_code, issued_on, expires_on, sorted(fields.items()), photo]``
    (dates in ISO format), which digests already stored were made of. Written out here with the
    encoder's own string quoting: the same text, at half the cost of the generic encoder."""
    holder = push.holder
    fields = ", ".join(f"[{_quoted(key)}, {_quoted(value)}]" for key, value in sorted(push.fields.items()))
    text = (
        f"[{push.source_version}, {_quoted(push.type_code)}, {_quoted(push.number)}, {_quoted(push.status)}, "
        f"{_quoted(push.agency_code)}, {_quoted(holder.kind)}, {_quoted(holder.name)}, {_text_or_null(holder.id_number)}, "
        f"{_text_or_null(holder.credit_code)}, \"{push.issued_on.isoformat()}\", "
        f"{_quoted(push.expires_on.isoformat()) if push.expires_on else 'null'}, [{fields}], {_text_or_null(push.photo)}]"
    )
    return pii.blind_index(text, purpose=PUSH_DIGEST)


# How json.dumps(…, ensure_ascii=False) quotes a string (the C function its encoder calls).
_quoted = encode_basestring


def _text_or_null(value: str | None) -> str:
    return "null" if value is None else _quoted(value)


# json.dumps(value, ensure_ascii=False), the same text, without building an encoder per call.
_json = json.JSONEncoder(ensure_ascii=False).encode


def _among(session: AsyncSession, column: Any, values: Any) -> Any:
    """``column IN values``; on PostgreSQL ``= ANY(array)``: one parameter for the thousands of
    values of a bulk batch, not one each (rendered, bound and parsed per statement). For an
    indexed column, whose index is probed with each value of the array, whatever the plan."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(_array(values))
    return column.in_(values)


def _joined(session: AsyncSession, column: Any, values: Any) -> Any:
    """``column IN values``; on PostgreSQL ``IN (SELECT unnest(array))``, a semi-join: the
    server's cached (generic) plan of ``= ANY($1)`` may compare each row with every value of
    the array (2,000 × every account: most of a second a batch), a join never does."""
    if session.get_bind().dialect.name == "postgresql":
        return column.in_(select(func.unnest(_array(values))).scalar_subquery())
    return column.in_(values)


def _array(values: Any) -> Any:
    return bindparam(None, list(values), type_=ARRAY(String))


def _photo(push: CertificatePush) -> tuple[bytes, str] | None:
    data = push.photo_bytes()
    if data is None:
        return None
    return data, "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"


async def apply_pushes(
    session: AsyncSession,
    pii: PersonalDataCipher,
    pushes: Sequence[CertificatePush],
    *,
    storage: ObjectStorage | None = None,
    computed: Sequence[tuple[str, str]] | None = None,
) -> list[PushOutcome]:
    """Applies validated pushes in the caller's transaction; one outcome per push, in order.

    Within a batch the highest ``source_version`` of a registry id wins (the others are
    answered as older). ``storage`` is needed only for pushes with a photo. Refused pushes
    (unknown agency, a number another certificate has, a known version with other content)
    write nothing; the others are written whatever became of the refused ones. ``computed``
    is :func:`prepared` of each push, when the caller has it already.
    """
    if not pushes:
        return []
    now = utcnow()
    if computed is None:
        computed = [prepared(pii, push) for push in pushes]
    newest: dict[str, CertificatePush] = {}
    keys: dict[str, str] = {}
    digests: dict[str, str] = {}
    for push, (key, digest) in zip(pushes, computed, strict=True):
        kept = newest.get(push.registry_id)
        if kept is None or push.source_version >= kept.source_version:
            newest[push.registry_id] = push
            keys[push.registry_id] = key
            digests[push.registry_id] = digest

    stored = await _stored(session, newest)
    by_registry_id = {row.registry_id: row for row in stored if row.registry_id in newest}
    number_owner = {row.number: row.registry_id for row in stored}
    agencies = set(
        await session.scalars(select(Agency.code).where(Agency.code.in_({p.agency_code for p in newest.values()})))
    )
    holders = await _holders(session, newest, keys)

    outcomes: dict[str, PushOutcome] = {}
    rows: list[dict[str, Any]] = []
    changes: list[tuple[CertificatePush, Any]] = []  # (push, the row it replaces or None)
    new_ids = iter(time_ordered_ids(len(newest) - len(by_registry_id)))
    for registry_id, push in newest.items():
        row = by_registry_id.get(registry_id)
        digest = digests[registry_id]
        if push.agency_code not in agencies:
            outcomes[registry_id] = PushOutcome(registry_id, refusal=unknown_agency(push.agency_code))
        elif row is not None and row.source_version > push.source_version:
            outcomes[registry_id] = _as_stored(row)
        elif row is not None and row.source_version == push.source_version:
            outcomes[registry_id] = (
                replace(_as_stored(row), applied=True)
                if row.push_digest == digest
                else PushOutcome(registry_id, refusal=SourceVersionConflict())
            )
        elif number_owner.get(push.number, registry_id) != registry_id:
            outcomes[registry_id] = PushOutcome(
                registry_id, refusal=CertificateNumberTaken(f"证书编号 {push.number} 已属于另一张证照")
            )
        else:
            number_owner[push.number] = registry_id  # a later push of this batch cannot take it
            certificate_id = row.id if row is not None else next(new_ids)
            photo_key = await _store_photo(storage, certificate_id, push, digest)
            rows.append(_row(push, certificate_id, row, holders.get(keys[registry_id]), keys[registry_id],
                             digest, photo_key, now))
            changes.append((push, row))

    if rows:
        written = await _upsert(session, rows)
        announced = []
        for (push, row), values in zip(changes, rows, strict=True):
            if values["id"] not in written:  # a concurrent push of a newer version won
                outcomes[push.registry_id] = await _reread(session, push.registry_id)
                continue
            announced.append(_event(push, row, values))
            outcomes[push.registry_id] = PushOutcome(
                push.registry_id,
                certificate_id=values["id"],
                source_version=push.source_version,
                applied=True,
                created=row is None,
                changed=True,
                holder_matched=values["holder_id"] is not None,
                status=push.status,
            )
        await publish_many(session, announced)

    results = []
    for push in pushes:
        outcome = outcomes[push.registry_id]
        if push is not newest[push.registry_id] and outcome.refusal is None:
            # An older (or repeated) line of the same certificate in this batch.
            same = push.source_version == outcome.source_version and push_digest(pii, push) == digests[push.registry_id]
            outcome = replace(outcome, applied=same, created=False, changed=False)
        results.append(outcome)
    return results


async def push_one(
    session: AsyncSession,
    pii: PersonalDataCipher,
    storage: ObjectStorage,
    registry_id: str,
    body: CertificatePushBody,
) -> PushOutcome:
    """``PUT /registry/certificates/{registry_id}``: a batch of one; a refusal is raised."""
    push = CertificatePush.model_construct(registry_id=registry_id, **dict(body))
    (outcome,) = await apply_pushes(session, pii, [push], storage=storage)
    if outcome.refusal is not None:
        raise outcome.refusal
    return outcome


async def pushed_row(session: AsyncSession, registry_id: str) -> Certificate:
    certificate = await session.scalar(select(Certificate).where(Certificate.registry_id == registry_id))
    if certificate is None:
        raise PushedCertificateNotFound()
    return certificate


def pushed_certificate(certificate: Certificate) -> PushedCertificate:
    """What is stored under the registry's id, for reconciliation: no ID number, no credit code."""
    return PushedCertificate(
        registry_id=certificate.registry_id,
        certificate_id=certificate.id,
        source_version=certificate.source_version,
        type_code=certificate.type_code,
        number=certificate.number,
        status=certificate.registry_status,
        agency_code=certificate.agency_code,
        holder=PushedHolderRead(
            kind="person" if certificate.holder_is_person else "organisation",
            name=certificate.holder_name,
            matched=certificate.holder_id is not None,
        ),
        issued_on=certificate.issued_on,
        expires_on=certificate.expires_on,
        fields=certificate.fields,
        has_photo=certificate.photo_key is not None,
        updated_at=certificate.updated_at,
    )


async def _stored(session: AsyncSession, newest: dict[str, CertificatePush]) -> list[Any]:
    """The stored certificates of these registry ids, and those holding these numbers."""
    statement = select(
        Certificate.id,
        Certificate.registry_id,
        Certificate.number,
        Certificate.source_version,
        Certificate.push_digest,
        Certificate.registry_status,
        Certificate.holder_id,
        Certificate.revoked_at,
    ).where(
        or_(
            _among(session, Certificate.registry_id, newest),
            _among(session, Certificate.number, {push.number for push in newest.values()}),
        )
    )
    return list(await session.execute(statement))


async def _holders(
    session: AsyncSession, newest: dict[str, CertificatePush], keys: dict[str, str]
) -> dict[str, str]:
    """Holder key → account id, for the holders who have registered (one query)."""
    people = {keys[r] for r, push in newest.items() if push.holder.kind == "person"}
    companies = {keys[r] for r, push in newest.items() if push.holder.kind == "organisation"}
    statement = (
        select(PersonalProfile.id_number_index.label("key"), PersonalProfile.user_id)
        .join(User, User.id == PersonalProfile.user_id)
        .where(_joined(session, PersonalProfile.id_number_index, people), User.deleted_at.is_(None))
        .union_all(
            select(CorporateProfile.credit_code.label("key"), CorporateProfile.user_id)
            .join(User, User.id == CorporateProfile.user_id)
            .where(_joined(session, CorporateProfile.credit_code, companies), User.deleted_at.is_(None))
        )
    )
    return {key: user_id for key, user_id in await session.execute(statement)}


def _as_stored(row: Any) -> PushOutcome:
    return PushOutcome(
        row.registry_id,
        certificate_id=row.id,
        source_version=row.source_version,
        applied=False,
        holder_matched=row.holder_id is not None,
        status=row.registry_status,
    )


async def _store_photo(
    storage: ObjectStorage | None, certificate_id: str, push: CertificatePush, digest: str
) -> str | None:
    photo = _photo(push)
    if photo is None:
        return None
    if storage is None:
        raise ValueError("a push with a photo needs the object storage")
    # A new key per version: a photo a reader is streaming is never overwritten underneath it.
    key = f"{PHOTO_PREFIX}/{certificate_id}/{push.source_version}-{digest[:16]}"
    await put_bytes(storage, key, photo[0], photo[1])
    return key


def _row(
    push: CertificatePush,
    certificate_id: str,
    row: Any,
    holder_id: str | None,
    key: str,
    digest: str,
    photo_key: str | None,
    now: datetime,
) -> dict[str, Any]:
    type_code, title = _TYPE_TITLES[push.type_code]
    revoked = push.status == RegistryStatus.revoked
    was_revoked = row is not None and row.revoked_at is not None
    return {
        "id": certificate_id,
        "holder_id": holder_id,
        "holder_key": key,
        "holder_name": push.holder.name,
        "holder_is_person": push.holder.kind == "person",
        "type_code": type_code,
        "title": title,
        "number": push.number,
        "agency_code": push.agency_code,
        "issued_on": push.issued_on,
        "expires_on": push.expires_on,
        "fields": dict(push.fields),
        "item_code": None,
        "application_id": None,
        # When it was revoked: kept across later pushes that leave it revoked.
        "revoked_at": (row.revoked_at if was_revoked else now) if revoked else None,
        "registry_id": push.registry_id,
        "source_version": push.source_version,
        "registry_status": push.status,
        "push_digest": digest,
        "photo_key": photo_key,
        "created_at": now,
        "updated_at": now,
    }


# Type code → (code, title): the title a certificate of the type is stored with.
_TYPE_TITLES = {kind.value: (kind.value, kind.label) for kind in CertificateType}

_KEPT_ON_UPDATE = {"id", "created_at", "item_code", "application_id"}


async def _upsert(session: AsyncSession, rows: list[dict[str, Any]]) -> set[str]:
    """One INSERT … ON CONFLICT (registry_id) for the batch; the ids it wrote. The condition
    keeps a newer version that a concurrent push stored meanwhile."""
    if session.get_bind().dialect.name == "postgresql":
        return await _upsert_postgresql(session, rows)
    table = Certificate.__table__
    statement = upsert_statement(session, table)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.registry_id],
        set_={name: statement.excluded[name] for name in rows[0] if name not in _KEPT_ON_UPDATE},
        where=table.c.source_version < statement.excluded.source_version,
    ).returning(table.c.id)
    return set(await session.scalars(statement, rows))


# PostgreSQL: the batch as one array per column, unnested into rows by the server. Thousands of
# rows cost a few dozen parameters, not one per value, which is what lets a bulk load reach
# thousands of certificates a second.
_ARRAYS = {
    "id": "VARCHAR[]",
    "holder_id": "VARCHAR[]",
    "holder_key": "VARCHAR[]",
    "holder_name": "VARCHAR[]",
    "holder_is_person": "BOOLEAN[]",
    "type_code": "VARCHAR[]",
    "title": "VARCHAR[]",
    "number": "VARCHAR[]",
    "agency_code": "VARCHAR[]",
    "issued_on": "DATE[]",
    "expires_on": "DATE[]",
    "fields": "TEXT[]",
    "revoked_at": "TIMESTAMPTZ[]",
    "registry_id": "VARCHAR[]",
    "source_version": "BIGINT[]",
    "registry_status": "VARCHAR[]",
    "push_digest": "VARCHAR[]",
    "photo_key": "VARCHAR[]",
}
_SELECTED = {name: f"u.{name}" for name in _ARRAYS} | {
    "fields": "u.fields::jsonb",
    "item_code": "NULL",
    "application_id": "NULL",
    "created_at": ":now",
    "updated_at": ":now",
}
# The registry's rule, for both ways rows reach PostgreSQL: an existing certificate is replaced
# only by a newer source_version of it; the ids of the rows written come back.
_NEWER_VERSIONS_WIN = (
    " ON CONFLICT (registry_id) DO UPDATE SET "
    + ", ".join(f"{name} = excluded.{name}" for name in _SELECTED if name not in _KEPT_ON_UPDATE)
    + " WHERE certificates.source_version < excluded.source_version RETURNING id"
)
_UPSERT_POSTGRESQL = text(
    f"INSERT INTO certificates ({', '.join(_SELECTED)}) "
    f"SELECT {', '.join(_SELECTED.values())} "
    f"FROM unnest({', '.join(f'CAST(:{name} AS {kind})' for name, kind in _ARRAYS.items())}) "
    f"AS u({', '.join(_ARRAYS)})"
    + _NEWER_VERSIONS_WIN
)


async def _upsert_postgresql(session: AsyncSession, rows: list[dict[str, Any]]) -> set[str]:
    if len(rows) >= COPY_FROM:
        return await _upsert_copied(session, rows)
    columns: dict[str, Any] = {name: [row[name] for row in rows] for name in _ARRAYS}
    columns["fields"] = [_json(row["fields"]) for row in rows]
    return set(await session.scalars(_UPSERT_POSTGRESQL, {**columns, "now": rows[0]["updated_at"]}))


# From this many rows (a bulk load's batches), PostgreSQL is given them by COPY into a temporary
# table, which the upsert then empties and reads: the rows go out in PostgreSQL's binary format,
# with no array to build, encode and unnest per column. A push or a few take the one statement.
COPY_FROM = 100
_STAGE = "certificate_pushes"
_STAGE_COLUMNS = tuple(_ARRAYS)
_BEFORE_FIELDS = itemgetter(*_STAGE_COLUMNS[: _STAGE_COLUMNS.index("fields")])
_AFTER_FIELDS = itemgetter(*_STAGE_COLUMNS[_STAGE_COLUMNS.index("fields") + 1 :])
_CREATE_STAGE = (
    f"CREATE TEMPORARY TABLE IF NOT EXISTS {_STAGE} ("
    + ", ".join(f"{name} {'JSONB' if name == 'fields' else kind.removesuffix('[]')}" for name, kind in _ARRAYS.items())
    + ") ON COMMIT DELETE ROWS"
)
_UPSERT_STAGED = (
    f"WITH u AS (DELETE FROM {_STAGE} RETURNING *) "
    f"INSERT INTO certificates ({', '.join(_SELECTED)}) "
    f"SELECT {', '.join('$1' if value == ':now' else value.removesuffix('::jsonb') for value in _SELECTED.values())} FROM u"
    + _NEWER_VERSIONS_WIN
)


async def _upsert_copied(session: AsyncSession, rows: list[dict[str, Any]]) -> set[str]:
    """The batch's upsert through COPY, on the session's connection, in its transaction (begun:
    ``_stored`` has been read in it). The stage is emptied by the statement that reads it, so it
    is empty again for the next batch of the same transaction (and at every commit)."""
    connection = (await (await session.connection()).get_raw_connection()).driver_connection
    records = [(*_BEFORE_FIELDS(row), _json(row["fields"]), *_AFTER_FIELDS(row)) for row in rows]
    try:
        await connection.execute(_CREATE_STAGE)
        await connection.copy_records_to_table(_STAGE, records=records, columns=_STAGE_COLUMNS)
        written = await connection.fetch(_UPSERT_STAGED, rows[0]["updated_at"])
    except asyncpg.IntegrityConstraintViolationError as error:
        # As SQLAlchemy raises it (a concurrent load took a number first): the caller retries.
        raise IntegrityError(_UPSERT_STAGED, None, error) from error
    return {row[0] for row in written}


async def _reread(session: AsyncSession, registry_id: str) -> PushOutcome:
    stored = await _stored_one(session, registry_id)
    return _as_stored(stored)


async def _stored_one(session: AsyncSession, registry_id: str) -> Any:
    statement = select(
        Certificate.id,
        Certificate.registry_id,
        Certificate.source_version,
        Certificate.registry_status,
        Certificate.holder_id,
    ).where(Certificate.registry_id == registry_id)
    return (await session.execute(statement)).one()


def event_data(values: dict[str, Any]) -> dict[str, Any]:
    """A certificate event's data: what identifies it and its state, never the holder's
    ID number or name."""
    return {
        "id": values["id"],
        "registry_id": values["registry_id"],
        "type_code": values["type_code"],
        "number": values["number"],
        "agency_code": values["agency_code"],
        "status": values["registry_status"],
        "source_version": values["source_version"],
        "holder_matched": values["holder_id"] is not None,
    }


def _event(push: CertificatePush, row: Any, values: dict[str, Any]) -> tuple[str, str, str, str]:
    """``certificate.issued`` (first push), ``certificate.status_changed`` or ``certificate.updated``;
    its data (``event_data``) as JSON text, written out here: registry ids, type and agency codes
    and statuses are plain ASCII words (their patterns), ids are UUIDs, the number is encoded."""
    previous = ""
    if row is None:
        event_type = "certificate.issued"
    elif row.registry_status != push.status:
        event_type = "certificate.status_changed"
        previous = f',"previous_status":"{row.registry_status}"'
    else:
        event_type = "certificate.updated"
    data = (
        f'{{"id":"{values["id"]}","registry_id":"{values["registry_id"]}","type_code":"{values["type_code"]}",'
        f'"number":{_json(values["number"])},"agency_code":"{values["agency_code"]}",'
        f'"status":"{values["registry_status"]}","source_version":{values["source_version"]},'
        f'"holder_matched":{"true" if values["holder_id"] is not None else "false"}{previous}}}'
    )
    return event_type, values["id"], push.agency_code, data


async def claim_for_person(session: AsyncSession, user_id: str) -> None:
    """A person just registered: the pushed certificates waiting for their ID number become theirs."""
    key = select(PersonalProfile.id_number_index).where(PersonalProfile.user_id == user_id).scalar_subquery()
    await _claim(session, user_id, key)


async def claim_for_company(session: AsyncSession, user_id: str) -> None:
    """A company (or ship operator) just registered: the certificates pushed for its credit code."""
    key = select(CorporateProfile.credit_code).where(CorporateProfile.user_id == user_id).scalar_subquery()
    await _claim(session, user_id, key)


async def _claim(session: AsyncSession, user_id: str, key: Any) -> None:
    """One UPDATE; each certificate claimed is announced (``holder_matched`` now true)."""
    claimed = await session.execute(
        update(Certificate)
        .where(Certificate.holder_id.is_(None), Certificate.holder_key == key)
        .values(holder_id=user_id)
        .returning(
            Certificate.id,
            Certificate.registry_id,
            Certificate.type_code,
            Certificate.number,
            Certificate.agency_code,
            Certificate.registry_status,
            Certificate.source_version,
            Certificate.holder_id,
        )
        .execution_options(synchronize_session=False)
    )
    for row in claimed.mappings():
        publish(
            session,
            "certificate.updated",
            subject_id=row["id"],
            agency_code=row["agency_code"],
            data=event_data(row),
        )
