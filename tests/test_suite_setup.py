"""The suite's own shortcuts keep their word (tests/conftest.py, tests/support/tls.py)."""

import ssl

import httpx
import pytest
from httpx._transports import default as transports

from tests.support.database import selected_databases


@pytest.mark.one_database(reason="the point is which database it runs on, not what it does there")
def test_a_test_marked_one_database_runs_on_the_first_selected_database_only(database_kind):
    assert database_kind == selected_databases()[0]


def test_http_clients_share_the_default_tls_context_and_build_any_other():
    shared = transports.create_ssl_context()

    assert transports.create_ssl_context() is shared
    assert shared.verify_mode == ssl.CERT_REQUIRED and shared.check_hostname
    assert shared.cert_store_stats()["x509_ca"] > 100  # certifi's bundle, loaded once
    unverified = transports.create_ssl_context(verify=False)
    assert unverified is not shared and unverified.verify_mode == ssl.CERT_NONE
    assert httpx.AsyncClient()._transport._pool._ssl_context is shared
