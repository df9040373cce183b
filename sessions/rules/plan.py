"""The Test/Iterate measurement plan: three columns × Who / What / How (WORKSHOP.md, 5).

The deck's e-commerce example is shown as placeholder hints, never saved as content.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

COLUMNS: tuple[tuple[str, Promise], ...] = (
    ("customer", _("① Solves the customer problem")),
    ("business", _("② Solves the business problem")),
    ("model", _("③ Solves the model problem and differentiates (optional)")),
)
ROWS: tuple[tuple[str, Promise], ...] = (
    ("who", _("Who evaluates?")),
    ("what", _("What is evaluated (the output shown to Who)?")),
    ("how", _("How, and what counts as a pass?")),
)
EXAMPLES: dict[tuple[str, str], Promise] = {
    ("customer", "who"): _("e.g. customers in their first 3 months"),
    ("customer", "what"): _("e.g. products matching those in their browsing history"),
    ("customer", "how"): _(
        "e.g. with vs without recommendations, does use of favourites rise to 120%?"
    ),
    ("business", "who"): _("e.g. the product manager"),
    ("business", "what"): _("e.g. products of popular categories"),
    ("business", "how"): _("e.g. is the purchase rate 1.2 times higher with recommendations?"),
    ("model", "who"): _("e.g. a data scientist"),
    ("model", "what"): _("e.g. the click-through rate per category"),
    ("model", "how"): _("e.g. after the model improves, do users rise to 120%?"),
}
REQUIRED_COLUMNS = ("customer", "business")  # ③ is optional in the deck


def is_cell(column: str, row: str) -> bool:
    return column in dict(COLUMNS) and row in dict(ROWS)


def empty_required(texts: dict[tuple[str, str], str]) -> int:
    """Empty cells in the required columns: a signal for the next-step questionnaire."""
    return sum(
        1 for column in REQUIRED_COLUMNS for row, _label in ROWS if not texts.get((column, row))
    )
