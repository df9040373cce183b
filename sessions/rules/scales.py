"""Every scale of the workshop, written once (STYLE.md 8b).

The numbers are this deck's edition of the rules (WORKSHOP.md, "Editions of the rules"); the
ratings are this product's questionnaire (WORKSHOP.md, "Next step"). They sit at the bottom of
rules/ so that everything above can say them, the steps' instructions included: the arithmetic,
the model constraints, the forms, the import checks, the templates and the document all read
them from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from django.utils.functional import lazy
from django.utils.translation import pgettext

# 2. Define: each participant gives 3 points to their most important problem of a side, 2 to
# the next and 1 to the next (each value once).
POINTS: tuple[int, ...] = (3, 2, 1)
# 2. Define: a problem group's score, by the rank of its point total (highest total → 8).
SCALE: tuple[int, ...] = (8, 5, 3, 2, 1)
# 3. Invent: what a mark weighs against a group's score: ○ solves it directly, △ partly.
SOLVES = Fraction(1)
PARTLY = Fraction(1, 2)
# Next step: each phase is rated from 1 to 5, 5 = needs improving most.
RATINGS: tuple[int, ...] = (1, 2, 3, 4, 5)


def number(value: Fraction | int) -> str:
    """A weight or a score as people write it: 1, 0.5, 3.5 (never 1/2)."""
    return f"{float(value):g}"


def _alternatives(values: Sequence[object]) -> str:
    items = [str(value) for value in values]
    if len(items) < 2:
        return "".join(items)
    return pgettext("between alternatives", "%(rest)s or %(last)s") % {
        "rest": pgettext("between alternatives", ", ").join(items[:-1]),
        "last": items[-1],
    }


# Values as a sentence offers them, in the language of the moment: "8, 5, 3, 2 or 1" (English),
# "8・5・3・2・1" (Japanese). Lazy, so that the steps' instructions can hold it.
alternatives = lazy(_alternatives, str)
