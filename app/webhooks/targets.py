"""Where a webhook may be sent (SSRF): https, and never the service's own networks.

Checked when a subscription is made (the URL's scheme and a literal address or a local name)
and again at every delivery against the addresses the host name resolves to then, so a name
that later points inside is refused too.
"""

import ipaddress
from urllib.parse import urlsplit

from app.core.config import Settings

LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")


def _is_internal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def _literal(host: str):
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def url_refusal(url: str, settings: Settings) -> str | None:
    """Why ``url`` may not receive webhooks (zh-CN), or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return "地址须为完整的 https URL"
    if parts.scheme == "http" and not settings.webhook_allow_http:
        return "地址须使用 https"
    if parts.username or parts.password:
        return "地址中不得包含用户名或密码"
    try:
        parts.port  # noqa: B018 - raises on a port out of range
    except ValueError:
        return "地址的端口无效"
    if settings.webhook_allow_private_targets:
        return None
    host = parts.hostname.rstrip(".").lower()
    literal = _literal(host)
    if host in LOCAL_NAMES or host.endswith(".localhost") or (literal is not None and _is_internal(literal)):
        return f"地址“{parts.hostname}”指向回环、内网或链路本地地址"
    return None


def address_refusal(addresses: list[str], settings: Settings) -> str | None:
    """Why a delivery may not go to the addresses its host resolved to, or None."""
    if settings.webhook_allow_private_targets:
        return None
    for text in addresses:
        address = _literal(text.split("%", 1)[0])
        if address is None or _is_internal(address):
            return f"target address {text} is loopback, private or link-local"
    return None
