"""Who the client is, behind nginx: only the proxy's own entry in X-Forwarded-For is believed."""

import httpx
import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.core.client_address import client_address, trusted_proxies
from app.core.config import Settings

NGINX = "10.86.213.2"
BEHIND_NGINX = trusted_proxies(NGINX)


def test_a_client_behind_the_proxy_is_the_address_the_proxy_saw_whatever_it_wrote_itself():
    # The client sent "X-Forwarded-For: 1.2.3.4"; nginx appended the address it saw.
    assert client_address(NGINX, ["1.2.3.4, 203.0.113.9"], BEHIND_NGINX) == "203.0.113.9"
    assert client_address(NGINX, ["1.2.3.4", "203.0.113.9"], BEHIND_NGINX) == "203.0.113.9"
    assert client_address(NGINX, ["203.0.113.9"], BEHIND_NGINX) == "203.0.113.9"
    assert client_address(NGINX, [], BEHIND_NGINX) == NGINX


def test_a_chain_of_trusted_proxies_is_read_from_the_right():
    proxies = trusted_proxies("10.86.213.2, 192.0.2.0/28")

    assert client_address(NGINX, ["6.6.6.6, 203.0.113.9, 192.0.2.5"], proxies) == "203.0.113.9"
    # Every hop trusted: the left-most trusted one is as far as anyone can tell.
    assert client_address(NGINX, ["192.0.2.7, 192.0.2.5"], proxies) == "192.0.2.7"


def test_a_peer_that_is_no_trusted_proxy_is_the_client_whatever_it_writes():
    assert client_address("203.0.113.9", ["1.2.3.4"], BEHIND_NGINX) == "203.0.113.9"
    assert client_address("203.0.113.9", ["10.86.213.2"], BEHIND_NGINX) == "203.0.113.9"
    assert client_address("10.86.213.3", ["1.2.3.4"], BEHIND_NGINX) == "10.86.213.3"


@pytest.mark.parametrize(
    "written",
    [
        "<script>alert(1)</script>",
        "203.0.113.9\r\nX-Injected: 1",
        "1" * 60,
        "fe80::1%" + "a" * 60,
        "unknown",
        "",
        "203.0.113.9:443",
    ],
)
def test_what_is_not_an_address_is_never_used(written):
    # Written by the client and appended to by nginx: the right-most entry still wins.
    assert client_address(NGINX, [f"{written}, 203.0.113.9"], BEHIND_NGINX) == "203.0.113.9"
    # Nonsense in the proxy's own position (a broken proxy): the proxy is all that is known.
    assert client_address(NGINX, [written], BEHIND_NGINX) == NGINX
    # And a peer that is not an address at all is unknown, never its text.
    assert client_address(written, [], BEHIND_NGINX) == "unknown"


def test_addresses_come_out_canonical():
    assert client_address("::ffff:10.86.213.2", ["2001:DB8:0:0::1"], BEHIND_NGINX) == "2001:db8::1"
    assert client_address("::ffff:203.0.113.9", [], BEHIND_NGINX) == "203.0.113.9"


@pytest.mark.parametrize("value", ["*", "10.86.213.2, *", "nginx", "10.0.0.0/33"])
def test_trusting_every_address_or_a_name_is_refused_at_start(value):
    with pytest.raises(ValueError, match="FORWARDED_ALLOW_IPS|forwarded_allow_ips"):
        Settings(forwarded_allow_ips=value)


def _through(app, peer: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(peer, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver/api/v1")


async def _failed_sign_in_recorded_from(app, session, peer: str, forwarded_for: str) -> str:
    async with _through(app, peer) as client:
        response = await client.post(
            "/auth/login/password",
            json={"username": "demo-corp", "password": "Wrong@12345"},
            headers={"X-Forwarded-For": forwarded_for},
        )
    assert response.status_code == 401, response.text
    return await session.scalar(
        select(AuditEvent.ip)
        .where(AuditEvent.event == "auth.login_password", AuditEvent.outcome == "failure")
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(1)
    )


async def test_a_failed_sign_in_is_audited_with_the_address_nginx_saw(app, session):
    app.state.settings = app.state.settings.model_copy(update={"forwarded_allow_ips": NGINX})
    forged = "<script>alert(1)</script>" + "x" * 60

    assert await _failed_sign_in_recorded_from(app, session, NGINX, f"{forged}, 203.0.113.9") == "203.0.113.9"
    # Straight to the API, around nginx: its own address, not what it wrote.
    assert await _failed_sign_in_recorded_from(app, session, "198.51.100.30", forged) == "198.51.100.30"
