"""Middleware of the operations block in config/settings.py: which proxy is trusted, and one
log line per request."""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse

from operations.logs import current_request, user_id_of

logger = logging.getLogger("foerderportal.request")

FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REQUEST_ID",
)
# A request id from the proxy is kept only in this shape, so it cannot forge log lines.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def is_trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in settings.TRUSTED_PROXY_NETWORKS)


class TrustedProxyMiddleware:
    """Forwarded headers count only when the connection comes from a configured proxy
    (TRUSTED_PROXIES); from anyone else they are removed before Django reads them, so nobody
    can claim HTTPS, another host name or another client address. Behind the proxy,
    REMOTE_ADDR becomes the client's address, so rate limits count per client, not per proxy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        if not is_trusted_proxy(meta.get("REMOTE_ADDR", "")):
            for header in FORWARDED_HEADERS:
                meta.pop(header, None)
        elif meta.get("HTTP_X_FORWARDED_FOR"):
            # The rightmost address that is not one of our proxies is the client: addresses
            # left of it were written by the client itself and prove nothing.
            hops = [hop.strip() for hop in meta["HTTP_X_FORWARDED_FOR"].split(",")]
            for hop in reversed(hops):
                if not is_trusted_proxy(hop):
                    with contextlib.suppress(ValueError):
                        meta["REMOTE_ADDR"] = str(ipaddress.ip_address(hop))
                    break
        return self.get_response(request)


class RequestLogMiddleware:
    """One line per request: request id, user id, route (not the path, which may carry
    tokens), status, duration and number of database queries."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = offered if REQUEST_ID.match(offered) else uuid.uuid4().hex
        token = current_request.set(request)
        queries = 0

        def count(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        try:
            with connection.execute_wrapper(count):
                response = self.get_response(request)
            match = request.resolver_match
            logger.info(
                "request",
                extra={
                    "method": request.method,
                    "route": match.route if match else None,
                    "view": match.view_name if match else None,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "queries": queries,
                    "user_id": user_id_of(request),
                },
            )
            response["X-Request-ID"] = request.request_id
            return response
        finally:
            current_request.reset(token)
