"""Which network addresses the service may call out to: global ones only, wrapped or not."""

from __future__ import annotations

import ipaddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: Well-known and local-use NAT64 prefixes: the last 32 bits are an IPv4 address.
NAT64_PREFIXES = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
#: Deprecated site-local IPv6 (RFC 3879), which Python still counts as global.
SITE_LOCAL = ipaddress.ip_network("fec0::/10")
#: IPv4-compatible addresses (RFC 4291, deprecated): ``::a.b.c.d``.
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def embedded_ipv4(address: IPAddress) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses *address* carries inside it (mapped, compatible, 6to4, Teredo, NAT64)."""
    if isinstance(address, ipaddress.IPv4Address):
        return []
    found: list[ipaddress.IPv4Address] = []
    if address.ipv4_mapped is not None:
        found.append(address.ipv4_mapped)
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found.extend(address.teredo)
    low32 = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if any(address in prefix for prefix in NAT64_PREFIXES):
        found.append(low32)
    if address in IPV4_COMPATIBLE and int(address) > 1:
        found.append(low32)
    return found


def _plain(address: IPAddress) -> IPAddress:
    """*address*, or the IPv4 address an IPv4-mapped IPv6 address stands for."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def refusal(address: IPAddress, *, allow_loopback: bool = False) -> str | None:
    """Why the service may not call *address*, or ``None`` when it is a global address.

    Every address embedded in an IPv6 one must be global too. With *allow_loopback* (the test
    setup) a plain loopback address passes, never one wrapped inside another.
    """
    plain = _plain(address)
    if plain.is_loopback:
        return None if allow_loopback else "a loopback address"
    if isinstance(plain, ipaddress.IPv6Address) and plain in SITE_LOCAL:
        return "a site-local address"
    reason = _local(plain)
    if reason:
        return reason
    for inner in embedded_ipv4(address):
        if _local(inner):
            return f"an address that wraps {inner}, which is not public"
    return None


def _local(address: IPAddress) -> str | None:
    """Why *address* is not a global unicast address, if it is not."""
    if address.is_private or address.is_link_local or address.is_reserved or address.is_multicast:
        return "a private or reserved address"
    if address.is_unspecified or address.is_loopback or not address.is_global:
        return "an address that is not public"
    return None
