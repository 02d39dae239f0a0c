"""The client's address, as far as it can be known: behind trusted proxies only.

A proxy such as nginx *appends* the address it saw to ``X-Forwarded-For``; everything to the
left of that was written by whoever connected to it, the client included. So the list is read
from the right: each entry written by a trusted proxy (``FORWARDED_ALLOW_IPS``, addresses or
CIDR networks) is skipped, and the first untrusted one is the client. A peer that is not a
trusted proxy is the client itself, whatever it wrote. Only well-formed IP addresses are ever
used, so what per-address limits count and the audit trail stores is an address, never text a
client chose.

Done here rather than by uvicorn's ``--proxy-headers`` (which ``scripts/serve`` turns off):
the same rule then holds in tests, in any server and behind any proxy.
"""

import functools
import ipaddress
from functools import lru_cache

from starlette.types import Scope

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
# What an address is stored as when there is none worth the name (a Unix socket, a test client).
UNKNOWN = "unknown"


@lru_cache(maxsize=8)
def trusted_proxies(text: str) -> tuple[IPNetwork, ...]:
    """``FORWARDED_ALLOW_IPS``: comma-separated addresses or networks; empty trusts none."""
    networks = []
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        if entry == "*":
            raise ValueError(
                "'*' would trust the X-Forwarded-For every client writes; "
                "name the proxy's address or network (CIDR)"
            )
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as error:
            raise ValueError(f"{entry!r} is neither an IP address nor a network (CIDR)") from error
    return tuple(networks)


@functools.lru_cache(maxsize=4096)  # every request parses its peer's address: mostly the same few
def parse_address(text: str) -> IPAddress | None:
    """A plain IPv4 or IPv6 address (IPv4-mapped IPv6 as IPv4), or None for anything else,
    zone ids included (they may be arbitrarily long)."""
    text = text.strip()
    if not text or len(text) > 45 or "%" in text:
        return None
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def normalised(text: str | None) -> str:
    """``text`` as a canonical address, or ``unknown``: what may be counted and stored."""
    address = parse_address(text) if text else None
    return str(address) if address is not None else UNKNOWN


@functools.lru_cache(maxsize=4096)  # asked twice per request, for the same few peers
def _trusted(address: IPAddress, proxies: tuple[IPNetwork, ...]) -> bool:
    return any(address.version == network.version and address in network for network in proxies)


def client_address(peer: str | None, forwarded_for: list[str], proxies: tuple[IPNetwork, ...]) -> str:
    """The right-most address in ``peer`` ← ``X-Forwarded-For`` not written by a trusted proxy."""
    current = parse_address(peer) if peer else None
    if current is None:
        return UNKNOWN
    entries = [entry for header in forwarded_for for entry in header.split(",")]
    while _trusted(current, proxies) and entries:
        written = parse_address(entries.pop())
        if written is None:
            # A trusted proxy wrote nonsense: the client is unknowable; blame the proxy.
            break
        current = written
    return _text(current)


@functools.lru_cache(maxsize=4096)
def _text(address: IPAddress) -> str:
    return str(address)


def resolve_client(scope: Scope, proxies: tuple[IPNetwork, ...]) -> None:
    """Replace the connection's peer in ``scope`` by the client's address (and the scheme a
    trusted proxy reports), before anything reads ``request.client``."""
    peer = scope.get("client")
    peer_host, peer_port = (peer[0], peer[1]) if peer else (None, 0)
    forwarded_for, forwarded_proto = [], None
    for name, value in scope.get("headers", ()):
        if name == b"x-forwarded-for":
            forwarded_for.append(value.decode("latin-1"))
        elif name == b"x-forwarded-proto":
            forwarded_proto = value.decode("latin-1").strip().lower()
    host = client_address(peer_host, forwarded_for, proxies)
    peer_address = parse_address(peer_host) if peer_host else None
    if peer_address is not None and _trusted(peer_address, proxies):
        if forwarded_proto in ("http", "https") and scope.get("type") == "http":
            scope["scheme"] = forwarded_proto
        if host != _text(peer_address):
            peer_port = 0
    scope["client"] = (host, peer_port)
