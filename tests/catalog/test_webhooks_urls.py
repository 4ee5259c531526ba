"""Which webhook URLs may be called (no SSRF), and the retry schedule."""

from __future__ import annotations

import re

import pytest

from catalog.services.webhooks import BadWebhookUrl
from catalog.services.webhooks import backoff
from catalog.services.webhooks import check_url


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://files.example.org/hook", "only http:// and https://"),
        ("file:///etc/passwd", "only http:// and https://"),
        ("http://10.1.2.3/hook", "a private or reserved address"),
        ("http://192.168.0.10:8080/hook", "a private or reserved address"),
        ("http://169.254.169.254/latest/meta-data", "a private or reserved address"),
        ("http://[fd00::1]/hook", "a private or reserved address"),
        ("http://[::ffff:10.0.0.1]/hook", "a private or reserved address"),
        ("http://0.0.0.0/hook", "a private or reserved address"),
        ("http://100.64.0.1/hook", "an address that is not public"),
        ("http://user:pw@93.184.216.34/hook", "no user name or password"),
        ("http:///hook", "has no host name"),
    ],
)
def test_urls_that_are_not_public_http_are_refused(url: str, reason: str) -> None:
    with pytest.raises(BadWebhookUrl, match=reason):
        check_url(url, allow_loopback=True)


def test_loopback_needs_the_explicit_flag() -> None:
    with pytest.raises(BadWebhookUrl, match="a loopback address"):
        check_url("http://localhost:8080/hook")  # resolved, like any name
    with pytest.raises(BadWebhookUrl, match="a loopback address"):
        check_url("http://[::1]:8080/hook")
    assert check_url("http://127.0.0.1:8080/hook", allow_loopback=True).addresses == ("127.0.0.1",)


def test_every_address_of_a_name_is_checked() -> None:
    answers = {"mixed.example": ["93.184.216.34", "10.0.0.7"], "public.example": ["93.184.216.34"]}

    def dns(host: str, port: int) -> list[str]:
        return answers[host]

    with pytest.raises(BadWebhookUrl, match=re.escape("points at 10.0.0.7")):
        check_url("https://mixed.example/hook", resolve=dns)
    target = check_url("https://public.example:8443/in?x=1", resolve=dns)
    assert (target.host, target.port, target.path) == ("public.example", 8443, "/in?x=1")


def test_backoff_grows_fourfold_and_is_capped() -> None:
    assert [backoff(n, 10).total_seconds() for n in (1, 2, 3)] == [10, 40, 160]
    assert backoff(12, 10).total_seconds() == 3600
