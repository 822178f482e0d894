"""The client's address, for sign-in throttling (django-axes).

Behind reverse proxies REMOTE_ADDR is the nearest proxy. Each trusted proxy appends the
address it received the request from to X-Forwarded-For, so with N trusted proxies the
client is the N-th entry from the right; anything further left was sent by the client and
is not believed. TRUSTED_PROXY_COUNT is the deployment's statement of N; unset (None) counts
as 0, so that a proxy is never assumed (`core.checks` warns about it under `--deploy`).
"""

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", None) or 0
    if count > 0:
        forwarded = [
            p for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()
        ]
        if len(forwarded) >= count:
            address = _valid(forwarded[-count])
            if address:
                return address
    return _valid(remote) or remote or None
