"""Closed units (``closed_on``): from that day, China time, a unit is no longer offered (tree,
search, pickers, the catalog's agency filter, new applications) but stays resolvable by code."""

from datetime import date, datetime

from app.core.schemas import CHINA_TIME


def today() -> date:
    """The day it is in China, which closing dates are counted in."""
    return datetime.now(CHINA_TIME).date()


def is_open(closed_on: date | None, on: date) -> bool:
    return closed_on is None or closed_on > on
