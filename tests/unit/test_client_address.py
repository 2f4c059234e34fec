"""Behind proxies the rate limits use the address the nearest trusted proxy saw, never one the client
wrote (issue 14: the app took the first X-Forwarded-For value, so a spoofer was never limited and
could lock out someone else's address)."""

from __future__ import annotations

from workshop.layout import forwarded_client
from workshop.settings import Settings


def test_without_a_trusted_proxy_the_peer_is_the_client() -> None:
    assert forwarded_client("203.0.113.9", ["6.6.6.6"], 0) == "203.0.113.9"


def test_one_trusted_proxy_the_address_it_added_counts_not_the_clients() -> None:
    # HAProxy (or Traefik) appends the address it saw to what the client sent
    assert forwarded_client("10.0.0.2", ["6.6.6.6, 198.51.100.7"], 1) == "198.51.100.7"
    assert forwarded_client("10.0.0.2", ["6.6.6.6", "198.51.100.7"], 1) == "198.51.100.7"  # two header lines
    assert forwarded_client("10.0.0.2", ["198.51.100.7"], 1) == "198.51.100.7"  # HAProxy dropped the client's


def test_two_trusted_proxies_and_a_header_missing_or_short() -> None:
    assert forwarded_client("10.0.0.3", ["6.6.6.6, 198.51.100.7, 10.0.0.2"], 2) == "198.51.100.7"
    assert forwarded_client("10.0.0.2", [], 1) == "10.0.0.2"  # no header: the peer, never a guess
    assert forwarded_client("10.0.0.2", ["x" * 500], 1) == "x" * 64  # bounded


def test_the_number_of_trusted_proxies_is_a_setting() -> None:
    assert Settings(trusted_proxies=2).proxy_hops() == 2
    assert Settings(trust_proxy=True).proxy_hops() == 1  # the earlier switch still means one proxy
    assert Settings().proxy_hops() == 0
