"""Requests from another client address, as another person's phone or another network."""

import httpx


def from_address(app, address: str) -> httpx.AsyncClient:
    """A client of ``app`` (base path /api/v1) whose requests come from ``address``."""
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver/api/v1")
