"""Settings from the environment: strict parsing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from workshop.env import env_bool, env_int, env_list


def test_a_malformed_boolean_is_an_error_not_false(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GYAKUSAN_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured):
        env_bool("GYAKUSAN_FLAG", False)
    for raw, expected in [("true", True), ("0", False), ("YES", True), ("off", False)]:
        monkeypatch.setenv("GYAKUSAN_FLAG", raw)
        assert env_bool("GYAKUSAN_FLAG", not expected) is expected
    monkeypatch.delenv("GYAKUSAN_FLAG")
    assert env_bool("GYAKUSAN_FLAG", True) is True


def test_integers_and_lists_are_parsed_strictly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GYAKUSAN_NUMBER", "12x")
    with pytest.raises(ImproperlyConfigured):
        env_int("GYAKUSAN_NUMBER", 1)
    monkeypatch.setenv("GYAKUSAN_NUMBER", "12")
    assert env_int("GYAKUSAN_NUMBER", 1) == 12
    monkeypatch.setenv("GYAKUSAN_HOSTS", " a.example , b.example ,")
    assert env_list("GYAKUSAN_HOSTS", []) == ["a.example", "b.example"]
