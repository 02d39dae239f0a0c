"""Everything the service ships with, loaded in dependency order; safe to run on every start."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.agencies.seed import load_agencies
from app.catalog.seed import load_catalog
from app.core.read_cache import DATASETS, bump
from app.help.seed import load_help_articles
from app.reference.seed import load_reference_data


async def load_seed_data(session: AsyncSession) -> None:
    await load_agencies(session)
    await load_catalog(session)
    await load_reference_data(session)
    await load_help_articles(session)
    await bump(session, *DATASETS)
