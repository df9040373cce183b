"""The boards of Listen and Define: their cells, and the deck's hints shown as placeholders."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class BoardKind(StrEnum):
    CUSTOMER = "customer"
    CUSTOMER_PROBLEMS = "customer_problems"
    BUSINESS_PROBLEMS = "business_problems"


BOARD_KIND_LABELS: dict[BoardKind, Promise] = {
    BoardKind.CUSTOMER: _("Customer board"),
    BoardKind.CUSTOMER_PROBLEMS: _("Customer problems"),
    BoardKind.BUSINESS_PROBLEMS: _("Business problems"),
}
BOARD_KIND_CHOICES = [(kind.value, label) for kind, label in BOARD_KIND_LABELS.items()]
MAX_NOTES_PER_PERSON = 40  # per board: plenty for a 5–10 minute box, and a cap on floods
MAX_NOTES_PER_BOARD = 400


@dataclass(frozen=True)
class Cell:
    key: str
    label: Promise
    hint: Promise


# The customer board: columns customer / organisation / environment; rows facts / influence.
CUSTOMER_COLUMNS: tuple[Promise, ...] = (
    _("Customer"),
    _("Customer's organisation"),
    _("Organisation's environment"),
)
CUSTOMER_ROWS: tuple[Promise, ...] = (
    _("Quantitative / qualitative facts"),
    _("Influence on the customer"),
)
# The customer column has no influence cell (WORKSHOP.md, Listen): the three facts cells come
# first, then the two influence cells, which is the order the grid's templates lay them out in.
CUSTOMER_CELLS = (
    Cell(
        "customer-facts",
        _("Customer · facts"),
        _(
            "IT staff, students… · generation · title · mission, strategy · "
            "spend per customer, purchase frequency"
        ),
    ),
    Cell(
        "organisation-facts",
        _("Organisation · facts"),
        _("Company, school, family… · industry · business model · market share"),
    ),
    Cell(
        "environment-facts",
        _("Environment · facts"),
        _(
            "Market, school rules… · industry issues · market growth · "
            "number of competitors · regulation"
        ),
    ),
    Cell(
        "organisation-influence",
        _("Organisation · influence on the customer"),
        _("The boss · the family · the organisation's policy and rules"),
    ),
    Cell(
        "environment-influence",
        _("Environment · influence on the customer"),
        _("Industry customs · competitors"),
    ),
)

# Business problems: the phases of bringing the product to customers (WORKSHOP.md, Define).
BUSINESS_PHASES = (
    Cell(
        "awareness",
        _("Awareness"),
        _("Market share, brand image, ease of starting, feature gaps with competitors, price"),
    ),
    Cell("contract", _("Contract"), _("Onboarding, paperwork, migration, user training")),
    Cell(
        "retention",
        _("Retention"),
        _("Support, running cost, upgrades, options, custom development"),
    ),
    Cell(
        "expansion",
        _("Expansion"),
        _("Personalisation, volume discounts, features on request"),
    ),
)

# Customer problems: "because of <influence>, when <situation>, <problem>".
PROBLEM_HINTS = {
    "influence": _(
        "e.g. their own work and efficiency, the organisation's mission or size, society"
    ),
    "situation": _(
        "e.g. logging in, searching, registering slips, buying; busy season, law changes"
    ),
    "text": _("e.g. can't get motivated to…, can't…, can't in time, can't within budget"),
}

# The two sides of the evaluation table (Define), which Invent measures ideas against.
PROBLEM_KINDS = (BoardKind.CUSTOMER_PROBLEMS, BoardKind.BUSINESS_PROBLEMS)

CELLS: dict[str, tuple[Cell, ...]] = {
    BoardKind.CUSTOMER: CUSTOMER_CELLS,
    BoardKind.CUSTOMER_PROBLEMS: (),
    BoardKind.BUSINESS_PROBLEMS: BUSINESS_PHASES,
}


def cell_keys(kind: str) -> set[str]:
    return {cell.key for cell in CELLS[kind]}
