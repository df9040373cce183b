"""Hostile text posted to every action of the room, on PostgreSQL: never a 500 (NUL, which
PostgreSQL cannot store, nor numbers beyond its integers), a refusal changes nothing and says
why (tests/hostile_posts.py, the same property as the unit tier's on SQLite).

Run by scripts/test.sh's PostgreSQL run (``-m postgres`` with DATABASE_URL); elsewhere it skips,
or fails when GYAKUSAN_REQUIRE_SERVICES=true.
"""

from __future__ import annotations

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from tests.actions import Action, Cast
from tests.actions.every import ACTIONS
from tests.hostile_posts import (
    EXAMPLES,
    a_session_cookie_holding_nul_is_no_session,
    post_hostile_text,
)
from tests.services import unavailable

pytestmark = pytest.mark.postgres


@pytest.fixture
def on_postgres() -> None:
    if connection.vendor != "postgresql":
        unavailable("run on PostgreSQL: DATABASE_URL=postgres://…")


@pytest.mark.parametrize("action", ACTIONS, ids=str)
@EXAMPLES
@given(data=st.data())
def test_hostile_text_is_refused_with_a_reason_or_kept_never_a_500(
    on_postgres: None, cast: Cast, action: Action, data: st.DataObject
) -> None:
    post_hostile_text(cast, action, data)


def test_a_session_cookie_holding_nul_is_no_session(on_postgres: None, cast: Cast) -> None:
    a_session_cookie_holding_nul_is_no_session(cast)
