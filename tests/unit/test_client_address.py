"""The client's address for the rate limit: X-Forwarded-For believed from trusted proxies only."""

import pytest

from web.client_address import client_address, parse_networks

PROXY = parse_networks("10.0.0.0/8, 2001:db8::/32")


@pytest.mark.parametrize(
    ("peer", "forwarded", "proxies", "client"),
    [
        # No trusted proxy: the header is ignored whatever it says.
        ("198.51.100.7", ["203.0.113.1"], (), "198.51.100.7"),
        ("198.51.100.7", ["203.0.113.1"], PROXY, "198.51.100.7"),
        # From a trusted proxy: the rightmost address it did not add itself.
        ("10.0.0.2", ["203.0.113.1"], PROXY, "203.0.113.1"),
        ("10.0.0.2", ["6.6.6.6, 203.0.113.1"], PROXY, "203.0.113.1"),
        ("10.0.0.2", ["6.6.6.6, 203.0.113.1, 10.0.0.3"], PROXY, "203.0.113.1"),
        ("10.0.0.2", ["6.6.6.6", "203.0.113.1, 10.0.0.3"], PROXY, "203.0.113.1"),
        # Ports and IPv6 written as proxies write them.
        ("10.0.0.2", ["203.0.113.1:51234"], PROXY, "203.0.113.1"),
        ("10.0.0.2", ["[2001:db9::5]:443"], PROXY, "2001:db9::5"),
        ("2001:db8::1", ["2001:db9::5"], PROXY, "2001:db9::5"),
        # No header, or only proxies in it: the request came from the proxy.
        ("10.0.0.2", [], PROXY, "10.0.0.2"),
        ("10.0.0.2", ["10.0.0.9"], PROXY, "10.0.0.2"),
        # Not an address where the proxy should have written one: that text, not further left.
        ("10.0.0.2", ["203.0.113.1, unknown"], PROXY, "unknown"),
    ],
)
def test_client_address_believes_forwarded_for_from_trusted_proxies_only(
    peer, forwarded, proxies, client
):
    assert client_address(peer, forwarded, proxies) == client


def test_parse_networks_refuses_a_bad_entry_by_name():
    with pytest.raises(ValueError, match="'proxy.local'"):
        parse_networks("10.0.0.1, proxy.local")
