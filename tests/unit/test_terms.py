"""One word for each thing in each language: the facilitator is 進行役 everywhere in Japanese
(issue 12: the Refine banner said ファシリテーター)."""

from __future__ import annotations

import re

from django.utils.translation import trans_real


def _japanese() -> dict[str, str]:
    catalog = trans_real.translation("ja")._catalog  # type: ignore[attr-defined]
    return {
        (msgid[0] if isinstance(msgid, tuple) else msgid): msgstr
        for msgid, msgstr in catalog.items()
        if msgid
    }


def test_the_facilitator_is_called_shinkoyaku_wherever_the_english_says_facilitator() -> None:
    named = {
        msgid: msgstr
        for msgid, msgstr in _japanese().items()
        if re.search(r"\bfacilitator", msgid, re.IGNORECASE)
    }
    assert named  # the catalog is there, and speaks of the facilitator
    wrong = {msgid: msgstr for msgid, msgstr in named.items() if "進行役" not in msgstr}
    assert not wrong, wrong
    assert not [msgstr for msgstr in _japanese().values() if "ファシリテーター" in msgstr]
