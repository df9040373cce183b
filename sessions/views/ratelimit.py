"""Join attempts per client address, and new seats per address and per workshop, counted in the
cache (shared across processes with Redis)."""

from __future__ import annotations

from typing import Literal

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from sessions.models import Workshop


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


def _seat_keys(request: HttpRequest, workshop: Workshop) -> tuple[str, str]:
    return f"join-seats:{client_address(request)}", f"join-seats-workshop:{workshop.pk}"


def seats_used_up(request: HttpRequest, workshop: Workshop) -> Literal["address", "workshop", ""]:
    """Which took all its new seats this minute: this address, this workshop, or neither ("")."""
    by_address, by_workshop = _seat_keys(request, workshop)
    if _count(by_address) >= settings.JOINS_PER_ADDRESS_PER_MINUTE:
        return "address"
    if _count(by_workshop) >= settings.JOINS_PER_WORKSHOP_PER_MINUTE:
        return "workshop"
    return ""


def seat_taken(request: HttpRequest, workshop: Workshop) -> None:
    """Count a seat once it is taken, so that a refused join uses up nothing. Joins racing
    past the check all count: a limit can be passed by the few that raced, never by a script."""
    for key in _seat_keys(request, workshop):
        _hit(key, 60)
