"""Invent: the deck's six-slot form for an example or idea (WORKSHOP.md, 3).

「○○の顧客」が「△△な状況」にあるとき「□□できる」機能を実装した事例です。本機能により「(customer
metric)」が改善し、「(business metric)」も改善しています。「◇◇のデータ」をモデルの学習に使用し…

Refine's summary reads the same sentence with the same slots, prefilled from the winning idea.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Slot:
    key: str  # the idea's field, and the summary slot prefilled from it
    label: Promise
    blank: Promise  # what the summary's sentence shows while the slot is empty


SLOTS: tuple[Slot, ...] = (
    Slot("customer", _("Customer (whose)"), pgettext_lazy("summary blank", "whose")),
    Slot("situation", _("Situation"), pgettext_lazy("summary blank", "when")),
    Slot("capability", _("What the feature lets them do"), pgettext_lazy("summary blank", "do")),
    Slot(
        "customer_metric",
        _("Customer metric that improves"),
        pgettext_lazy("summary blank", "customer metric"),
    ),
    Slot(
        "business_metric",
        _("Business metric that improves"),
        pgettext_lazy("summary blank", "business metric"),
    ),
    Slot("data", _("Data the model learns from"), pgettext_lazy("summary blank", "which")),
)
SLOT_KEYS = tuple(slot.key for slot in SLOTS)
