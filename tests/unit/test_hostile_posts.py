"""Hostile text posted to every action of the room, on the unit tier's database (SQLite by
default): never a 500, a refusal changes nothing and says why (tests/hostile_posts.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.actions import Action, Cast
from tests.actions.every import ACTIONS
from tests.hostile_posts import (
    EXAMPLES,
    a_session_cookie_holding_nul_is_no_session,
    post_hostile_text,
)


@pytest.mark.parametrize("action", ACTIONS, ids=str)
@EXAMPLES
@given(data=st.data())
def test_hostile_text_is_refused_with_a_reason_or_kept_never_a_500(
    cast: Cast, action: Action, data: st.DataObject
) -> None:
    post_hostile_text(cast, action, data)


def test_a_session_cookie_holding_nul_is_no_session(cast: Cast) -> None:
    a_session_cookie_holding_nul_is_no_session(cast)
