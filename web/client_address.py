"""Who is asking, by address, for the login rate limit: the connecting address, unless it is a
trusted proxy (``EVENLY_TRUSTED_PROXIES``), in which case the rightmost address in
``X-Forwarded-For`` that is not itself a trusted proxy.

Anyone can send ``X-Forwarded-For``; only what a trusted proxy appended can be believed, and each
proxy appends on the right, so the list is read from the right.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_networks(text: str) -> tuple[Network, ...]:
    """``10.0.0.1, 10.1.0.0/16, ::1`` as networks; a bad entry raises ValueError naming it."""
    networks = []
    for entry in filter(None, (part.strip() for part in text.split(","))):
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(f"not an IP address or network: {entry!r}") from None
    return tuple(networks)


def _address(hop: str) -> Address | None:
    """An address from ``1.2.3.4``, ``1.2.3.4:5678``, ``2001:db8::1`` or ``[2001:db8::1]:443``."""
    hop = hop.strip()
    if hop.startswith("["):
        hop = hop[1 : hop.find("]")] if "]" in hop else hop
    elif hop.count(":") == 1:
        hop = hop.partition(":")[0]
    try:
        return ipaddress.ip_address(hop)
    except ValueError:
        return None


def _trusted(address: Address | None, proxies: Iterable[Network]) -> bool:
    return address is not None and any(address in network for network in proxies)


def client_address(peer: str, forwarded_for: Iterable[str], proxies: tuple[Network, ...]) -> str:
    """The client's address, given the connecting ``peer`` and the ``X-Forwarded-For`` values."""
    if not _trusted(_address(peer), proxies):
        return peer
    hops = [hop.strip() for value in forwarded_for for hop in value.split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:  # a trusted proxy would not write this: it stops the walk
            return hop
        if not _trusted(address, proxies):
            return str(address)
    return peer  # every hop is a trusted proxy: the request came from one of them


def rate_limit_identifier(proxies: tuple[Network, ...]) -> Callable[[Any], str]:
    """For Litestar's ``RateLimitConfig.identifier_for_request``."""

    def identify(request: Any) -> str:
        peer = request.client.host if request.client else ""
        return client_address(peer, request.headers.getall("x-forwarded-for", []), proxies)

    return identify
