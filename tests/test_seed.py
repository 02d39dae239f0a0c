"""Seed data loads idempotently: `make run` reloads it on every start."""

from sqlalchemy import func, select

from app.models import Agency, AgencyCandidate, Country, HelpArticle, OnlineForm, ServiceItem, ServiceItemLevel
from app.seed import load_seed_data

COUNTED = (Agency, AgencyCandidate, ServiceItem, ServiceItemLevel, OnlineForm, Country, HelpArticle)


async def _counts(session):
    return {
        model.__name__: await session.scalar(select(func.count()).select_from(model)) for model in COUNTED
    }


async def test_loading_the_seed_again_changes_nothing(session):
    before = await _counts(session)

    await load_seed_data(session)
    await session.flush()

    assert await _counts(session) == before
    assert before["ServiceItem"] >= 65
