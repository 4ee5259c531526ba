"""Webhook targets must be global addresses, including every IPv4 address wrapped in an IPv6 one."""

from __future__ import annotations

import ipaddress
import typing as t

import pytest
from flask.testing import FlaskClient

from catalog.security.addresses import embedded_ipv4
from catalog.security.addresses import refusal
from catalog.services.webhooks import BadWebhookUrl
from catalog.services.webhooks import check_url
from tests.conftest import Tokens


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://[2002:7f00:1::]:5077/", "wraps 127.0.0.1"),  # 6to4 around loopback
        ("http://[2002:a00:1::]/", "wraps 10.0.0.1"),  # 6to4 around a private network
        ("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", "private or reserved"),  # Teredo
        ("http://[fec0::1]/", "site-local"),
        ("http://[fec0:1:2::3]:8080/hook", "site-local"),
        ("http://[64:ff9b::7f00:1]/", "reserved|wraps 127.0.0.1"),  # NAT64 around loopback
        (
            "http://[64:ff9b::a9fe:a9fe]/",
            "reserved|wraps 169.254.169.254",
        ),  # NAT64 around link-local metadata
        ("http://[64:ff9b:1::c0a8:1]/", "reserved|wraps 192.168.0.1"),  # local-use NAT64
        ("http://[::127.0.0.1]/", "reserved|wraps 127.0.0.1"),  # IPv4-compatible
        ("http://[::10.0.0.1]/", "reserved|wraps 10.0.0.1"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),  # IPv4-mapped
        ("http://[::ffff:169.254.169.254]/", "private or reserved"),
    ],
)
def test_addresses_wrapped_in_ipv6_are_unwrapped_and_refused(url: str, reason: str) -> None:
    with pytest.raises(BadWebhookUrl, match=reason):
        check_url(url, allow_loopback=False)
    with pytest.raises(BadWebhookUrl):  # the test setup's loopback allowance never covers a wrapped one
        check_url(url.replace("[::ffff:127.0.0.1]", "[::ffff:10.0.0.1]"), allow_loopback=True)


@pytest.mark.parametrize(
    ("address", "inner"),
    [
        ("2002:7f00:1::", ["127.0.0.1"]),
        ("64:ff9b::808:808", ["8.8.8.8"]),
        ("::ffff:1.2.3.4", ["1.2.3.4"]),
        ("::1.2.3.4", ["1.2.3.4"]),
        ("2606:4700::1111", []),
        ("::1", []),
    ],
)
def test_embedded_ipv4_addresses_are_found(address: str, inner: list[str]) -> None:
    found = embedded_ipv4(ipaddress.ip_address(address))
    assert [str(a) for a in found] == inner


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::1111", "2a00:1450:4001:80b::200e"])
def test_global_addresses_pass(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) is None


def test_the_api_refuses_a_6to4_loopback_target(client: FlaskClient, tokens: Tokens) -> None:
    response = client.post(
        "/api/v1/streams/webhooks",
        json={"url": "http://[2002:7f00:1::]:5077/", "events": ["card.changed"]},
        headers=tokens.headers("admin"),
    )
    body: dict[str, t.Any] = response.json or {}
    assert response.status_code == 422, body
    assert "127.0.0.1" in str(body)
