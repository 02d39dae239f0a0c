"""The schema exists only through migrations, and they agree with the models."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from app.core.db import create_engine
from app.models import Base
from tests.support.database import run_alembic, settings_for_tests


async def test_upgrade_downgrade_upgrade_leaves_the_models_schema(database_kind, database_factory, tmp_path):
    engine = create_engine(settings_for_tests(database_factory(database_kind), tmp_path))
    try:
        await run_alembic(engine, "upgrade", "head")
        await run_alembic(engine, "downgrade", "base")
        async with engine.connect() as connection:
            left = await connection.run_sync(lambda c: inspect(c).get_table_names())
        assert set(left) <= {"alembic_version"}

        await run_alembic(engine, "upgrade", "head")
        async with engine.connect() as connection:
            differences = await connection.run_sync(
                lambda c: compare_metadata(
                    MigrationContext.configure(c, opts={"compare_type": True}), Base.metadata
                )
            )
        assert differences == []
    finally:
        await engine.dispose()
