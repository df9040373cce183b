from __future__ import annotations

from sessions import codes


def test_join_codes_use_only_unambiguous_characters() -> None:
    drawn = {codes.new_join_code() for _ in range(200)}
    assert len(drawn) == 200
    for code in drawn:
        assert len(code) == codes.JOIN_CODE_LENGTH
        assert not set(code) & set("0O1IL5S2Z8B")


def test_a_typed_code_is_normalised() -> None:
    assert codes.normalise_join_code(" acdf-ghjk ") == "ACDFGHJK"
    assert (
        codes.normalise_join_code("ＡＣＤＦ－ＧＨＪＫ") == "ACDFGHJK"
    )  # typed with a Japanese IME
    assert codes.normalise_join_code("ACDF ー GHJK") == "ACDFGHJK"
    assert codes.format_join_code("ACDFGHJK") == "ACDF-GHJK"


def test_facilitator_tokens_carry_at_least_128_bits() -> None:
    token = codes.new_facilitator_token()
    assert len(token) * 6 >= 128
    assert codes.hash_token(token) != token
