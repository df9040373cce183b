"""Join attempts and wrong codes per client address, and new seats per address and per
workshop, counted in the cache (shared across processes with Redis).

Wrong codes slow guessing down without locking an office out: an address may type a few wrong
codes (people mistype), then each further one locks it out for a short while that doubles every
time, and is forgotten an hour after the last. The QR code's link (codes.join_link_token) skips
the lockout: whoever holds it read the code off the room's screen. README.md, Security, has the
numbers and what they mean for someone guessing.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from typing import Any, Literal, TypeAlias

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from sessions.models import Workshop

# The longest lockout: reached after 7 wrong codes beyond the allowance (30 s doubled 6 times).
# From then on an address guessing tirelessly gets 2 guesses an hour.
LOCKOUT_MAX_SECONDS = 30 * 60
# Wrong codes are forgotten this long after the last one: longer than the longest lockout, so
# that waiting one out does not start the allowance afresh.
WRONG_CODES_MEMORY_SECONDS = 60 * 60


# Who is asking: a page's request, or a WebSocket's ASGI scope (a socket looks a code up too).
Client: TypeAlias = HttpRequest | Mapping[str, Any]


def client_address(request: Client) -> str:
    if isinstance(request, HttpRequest):
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        direct = str(request.META.get("REMOTE_ADDR", "unknown"))
    else:
        headers = dict(request.get("headers", []))
        forwarded = headers.get(b"x-forwarded-for", b"").decode("latin-1")
        direct = str((request.get("client") or ["unknown"])[0])
    if settings.TRUST_X_FORWARDED_FOR and forwarded:
        # The entry our own proxy appended is the last one; the ones before it are the
        # client's to write, and would let anyone pick a fresh address per attempt.
        return forwarded.split(",")[-1].strip()
    return direct


def _now() -> float:
    return time.time()


def _hit(key: str, window_seconds: int) -> int:
    cache.add(key, 0, timeout=window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds)
        return 1


def _count(key: str) -> int:
    return int(cache.get(key, 0))


class Throttled(Exception):
    """This address must wait ``seconds`` before asking by code again (answered 429)."""

    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def slow_down(request: Client, *, by_link: bool = False) -> None:
    """Count an attempt of this address to join or to look a code up, and raise Throttled when
    it made too many this minute, or is locked out for wrong codes (unless ``by_link``: the
    QR code's link, whose token shows the code was read off the room's screen)."""
    if _hit(f"join-attempts:{client_address(request)}", 60) > settings.JOIN_ATTEMPTS_PER_MINUTE:
        raise Throttled(60)
    if not by_link and (wait := _locked_out(request)):
        raise Throttled(wait)


def _locked_out(request: Client) -> int:
    """How many seconds this address is still locked out for guessing wrong (0: it is not)."""
    until = cache.get(f"join-locked:{client_address(request)}")
    return max(0, math.ceil(until - _now())) if until is not None else 0


def join_failed(request: Client) -> None:
    """A wrong code from this address: beyond the allowance, a lockout twice the last one."""
    address = client_address(request)
    key = f"join-wrong:{address}"
    wrong = _hit(key, WRONG_CODES_MEMORY_SECONDS)
    cache.touch(key, WRONG_CODES_MEMORY_SECONDS)  # the memory runs from the last wrong code
    beyond = wrong - settings.JOIN_WRONG_CODES_ALLOWED
    if beyond > 0:
        doubling = min(beyond - 1, 16)  # past the longest lockout long before 2**16
        seconds = min(settings.JOIN_LOCKOUT_SECONDS * 2**doubling, LOCKOUT_MAX_SECONDS)
        cache.set(f"join-locked:{address}", _now() + seconds, timeout=seconds)


def _seat_keys(request: Client, workshop: Workshop) -> tuple[str, str]:
    return f"join-seats:{client_address(request)}", f"join-seats-workshop:{workshop.pk}"


def seats_used_up(request: Client, workshop: Workshop) -> Literal["address", "workshop", ""]:
    """Which took all its new seats this minute: this address, this workshop, or neither ("")."""
    by_address, by_workshop = _seat_keys(request, workshop)
    if _count(by_address) >= settings.JOINS_PER_ADDRESS_PER_MINUTE:
        return "address"
    if _count(by_workshop) >= settings.JOINS_PER_WORKSHOP_PER_MINUTE:
        return "workshop"
    return ""


def seat_taken(request: Client, workshop: Workshop) -> None:
    """Count a seat once it is taken, so that a refused join uses up nothing. Joins racing
    past the check all count: a limit can be passed by the few that raced, never by a script."""
    for key in _seat_keys(request, workshop):
        _hit(key, 60)
