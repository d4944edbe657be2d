"""The address a request came from, as the login log, the lockout and the change log record it.

Behind a reverse proxy every request arrives from the proxy's own address, so the lockout
by address would count the whole zone's failed logins together. The proxy names the
client in a header (``BEACON_PROXY_ADDRESS_HEADER``, e.g. ``X-Real-IP``), which is believed
only from the proxies in ``BEACON_TRUSTED_PROXIES``: from anyone else such a header is
the client's own claim and a forged address in the audit logs.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    peer = request.META.get("REMOTE_ADDR")
    header = settings.BEACON_PROXY_ADDRESS_HEADER
    if header and peer in settings.BEACON_TRUSTED_PROXIES:
        # The nearest proxy's view of the client: the last address it appended.
        named = request.headers.get(header, "").split(",")[-1]
        return _valid(named) or peer
    return peer
