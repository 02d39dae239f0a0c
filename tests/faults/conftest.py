"""Servers of their own for the fault tests: these are stopped on purpose, so never shared with
other tests. The object store is shared by the fault tests (a bucket each); one that stops it
starts it again before it ends."""

import secrets

import pytest

from tests.support.postgres import ThrowawayPostgres
from tests.support.seaweed import ThrowawaySeaweed


@pytest.fixture
def lone_postgres():
    cluster = ThrowawayPostgres()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def lone_seaweed():
    server = ThrowawaySeaweed()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def bucket(lone_seaweed) -> str:
    """A bucket of the test's own, so what it finds there is what it did."""
    name = f"faults-{secrets.token_hex(4)}"
    lone_seaweed.create_bucket(name)
    return name
