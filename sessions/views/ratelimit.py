"""Join attempts per client address, counted in the cache (shared across processes with Redis)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    if settings.TRUST_X_FORWARDED_FOR:
        # The entry our own proxy appended is the last one; the ones before it are the
        # client's to write, and would let anyone pick a fresh address per attempt.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def _hit(key: str, window_seconds: int) -> int:
    cache.add(key, 0, timeout=window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds)
        return 1


def _count(key: str) -> int:
    return int(cache.get(key, 0))


def join_allowed(request: HttpRequest) -> bool:
    """Count this attempt; False once the address made too many, or guessed wrong too often."""
    address = client_address(request)
    attempts = _hit(f"join-attempts:{address}", 60)
    failures = _count(f"join-failures:{address}")
    return (
        attempts <= settings.JOIN_ATTEMPTS_PER_MINUTE
        and failures < settings.JOIN_FAILURES_PER_10_MINUTES
    )


def join_failed(request: HttpRequest) -> None:
    _hit(f"join-failures:{client_address(request)}", 600)
