"""Load synthetic 个人用户 and their applications straight into PostgreSQL.

Rows are generated inside the database (``generate_series``), so a million applications
take seconds rather than an hour of API calls. Each user gets the same number of
applications at every scale, spread over the last year, over the five online items and
every agency, in the statuses a real queue holds; every submitted application has the
timeline entry its submission wrote and the contact phone 办件查询 asks for.

Calls are additive: ``load(url, users=2_000, applications=10_000)`` then
``load(url, users=198_000, applications=990_000)`` gives 200,000 users and 1,000,000
applications, numbered without gaps or clashes.
"""

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

# Share of each status among generated applications (drafts carry no number).
STATUSES = (
    ("draft", 10),
    ("submitted", 20),
    ("accepted", 20),
    ("approved", 35),
    ("supplement_required", 5),
    ("rejected", 5),
    ("withdrawn", 5),
)

_USERS = """
INSERT INTO users (id, role, display_name, failed_logins, created_at)
SELECT 'bench-user-' || lpad(n::text, 7, '0'), 'personal', '压测用户' || n, 0,
       now() - interval '400 days'
FROM generate_series(CAST(:first_user AS integer), CAST(:last_user AS integer)) AS n
"""

_APPLICATIONS = """
WITH numbered AS (
    SELECT n,
           now() - (random() * interval '365 days') AS created_at,
           (array[{statuses}])[1 + (n % {status_slots})] AS status
    FROM generate_series(CAST(:first AS integer), CAST(:last AS integer)) AS n
)
INSERT INTO applications (id, number, item_code, applicant_id, agency_code, status, version, form,
                          contact_name, contact_phone_index, created_at, updated_at, submitted_at)
SELECT 'bench-app-' || lpad(n::text, 8, '0'),
       CASE WHEN status = 'draft' THEN NULL
            ELSE 'HS' || to_char(created_at, 'YYYYMMDD') || lpad((n % 1000000)::text, 6, '0') END,
       (CAST(:items AS text[]))[1 + (n % cardinality(CAST(:items AS text[])))],
       'bench-user-' || lpad((1 + (n % CAST(:users AS integer)))::text, 7, '0'),
       (CAST(:agencies AS text[]))[1 + ((n / 7) % cardinality(CAST(:agencies AS text[])))],
       status, 1, '{{}}', '压测联系人', :phone_index,
       created_at, created_at,
       CASE WHEN status = 'draft' THEN NULL ELSE created_at + interval '1 hour' END
FROM numbered
"""

_SUBMIT_EVENTS = """
INSERT INTO application_events (id, application_id, occurred_at, actor_id, actor_role, action,
                                from_status, to_status)
SELECT 'bench-evt-' || substr(id, 11), id, submitted_at, applicant_id, 'applicant', 'submit',
       'draft', 'submitted'
FROM applications
WHERE id BETWEEN 'bench-app-' || lpad(CAST(CAST(:first AS integer) AS text), 8, '0')
             AND 'bench-app-' || lpad(CAST(CAST(:last AS integer) AS text), 8, '0')
  AND status <> 'draft'
"""


def _status_array() -> tuple[str, int]:
    slots = [name for name, share in STATUSES for _ in range(share)]
    return ", ".join(f"'{name}'" for name in slots), len(slots)


async def load(
    database_url: str, *, users: int, applications: int, phone_index: str, first_user: int = 1
) -> None:
    """Adds ``users`` users from number ``first_user`` on and ``applications`` applications
    after the ones already generated; applicants are spread over all generated users."""
    statuses, slots = _status_array()
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as connection:
            first = 1 + (
                await connection.scalar(text("SELECT count(*) FROM applications WHERE id LIKE 'bench-app-%'"))
            )
            items = list(
                await connection.scalars(text("SELECT code FROM service_items WHERE online ORDER BY 1"))
            )
            agencies = list(await connection.scalars(text("SELECT code FROM agencies ORDER BY 1")))
            await connection.execute(
                text(_USERS), {"first_user": first_user, "last_user": first_user + users - 1}
            )
            total_users = first_user + users - 1
            span = {"first": first, "last": first + applications - 1}
            await connection.execute(
                text(_APPLICATIONS.format(statuses=statuses, status_slots=slots)),
                {
                    **span,
                    "items": items,
                    "agencies": agencies,
                    "users": total_users,
                    "phone_index": phone_index,
                },
            )
            await connection.execute(text(_SUBMIT_EVENTS), span)
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("ANALYZE"))
    finally:
        await engine.dispose()
