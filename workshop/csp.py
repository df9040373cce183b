"""The Content-Security-Policy (django-csp), with the live room's socket allowed by its address.

'self' in connect-src covers htmx's requests, but not the WebSocket in every browser: only CSP
Level 3 lets 'self' match ws: and wss: on the same host, and older browsers refuse the socket.
Its own origin, ws://host or wss://host as this request reached the server, is added; a bare
ws: or wss: would allow sockets to any host.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponseBase


def socket_origin(request: HttpRequest) -> str | None:
    """Where this page's WebSocket connects: its scheme (wss behind TLS) and host, or None for
    a request to a host this server does not serve (it is refused anyway)."""
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    return f"{'wss' if request.is_secure() else 'ws'}://{host}"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        origin = socket_origin(request)
        if origin is not None:
            parts.update = {**(parts.update or {}), "connect-src": [origin]}
        return parts
