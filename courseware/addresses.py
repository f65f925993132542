"""The addresses this machine answers on, for the development server and for join links that phones can open.

No name lookups and no packets: a UDP socket "connected" to an outside address only asks the kernel which
local address would be used, so this is instant and works offline (where it finds nothing, it says so).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

_PROBES = (("192.0.2.1", 9), ("2001:db8::1", 9))  # documentation ranges: never contacted


def lan_addresses() -> list[str]:
    """The machine's outward-facing IPv4/IPv6 addresses (the ones a phone on the same network can reach)."""
    found: list[str] = []
    for host, port in _PROBES:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as probe:
                probe.connect((host, port))
                address = probe.getsockname()[0]
        except OSError:
            continue
        if not ipaddress.ip_address(address).is_loopback and address not in found:
            found.append(address)
    return found


def is_loopback_url(url: str) -> bool:
    host = (urlsplit(url).hostname or "").strip("[]")
    if host in ("localhost", "") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serving_urls(host: str, port: int) -> list[str]:
    """Where a server bound to `host` can be opened: every LAN address when it listens on all of them."""
    if host in ("0.0.0.0", "::", ""):  # noqa: S104 - recognising the wildcard, not binding to it
        return [f"http://127.0.0.1:{port}/"] + [
            f"http://[{a}]:{port}/" if ":" in a else f"http://{a}:{port}/" for a in lan_addresses()
        ]
    return [f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"]


def main(argv: list[str]) -> None:
    host, port = argv[0], int(argv[1])
    urls = serving_urls(host, port)
    print("Serving on:", *urls, sep="\n  ")
    if not any(not is_loopback_url(u) for u in urls):
        print("Phones cannot open 127.0.0.1. To run a live session for a room: HOST=0.0.0.0 make run")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
