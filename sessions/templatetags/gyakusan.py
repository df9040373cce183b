from __future__ import annotations

import html
import uuid
from fractions import Fraction

from django import template
from django.utils.functional import Promise
from django.utils.html import strip_tags
from django.utils.safestring import SafeString

from sessions.models import QuestionnaireAnswer
from sessions.rules import boards, questionnaire, scales
from sessions.rules.scoring import Mark
from sessions.rules.text import DIRECTION_CONTROLS
from sessions.selectors.shapes import isolated

register = template.Library()


@register.simple_tag
def new_uuid() -> str:
    """A fresh id for a form that creates something: posting it twice creates it once."""
    return str(uuid.uuid4())


# Direction controls (embeddings, overrides, isolates): the forms refuse them, but a row written
# before that, or by hand, may hold one. Where no element can isolate a text (a page's title, a
# menu's option, Markdown), they are dropped.
_NO_DIRECTION_CONTROLS = str.maketrans(dict.fromkeys(map(ord, DIRECTION_CONTROLS)))
_MARKDOWN_SPECIAL = str.maketrans(
    {c: "\\" + c for c in "\\`*_[]{}()#+-!|>~"} | {"<": "&lt;", "&": "&amp;", "\n": " ", "\r": ""}
)


@register.filter
def bidi_free(value: object) -> str:
    """User text where no <bdi> can hold it (a <title>, an <option>): without the controls
    that would turn the text after it around."""
    return str(value if value is not None else "").translate(_NO_DIRECTION_CONTROLS)


@register.filter
def isolate(value: object) -> SafeString:
    """User text in its own <bdi>, for a text put together by {% blocktranslate %}."""
    return isolated(value)


@register.filter
def md(value: object) -> str:
    """User text made inert in Markdown: no markup, no HTML, no line breaks (tables), no
    direction controls (a text editor shows Markdown as plain text: nothing isolates it)."""
    return bidi_free(value).translate(_MARKDOWN_SPECIAL)


@register.filter
def md_from_html(value: object) -> str:
    """An HTML fragment we rendered (user text escaped in it) as inert Markdown text."""
    return md(html.unescape(strip_tags(str(value))).strip())


# The workshop's numbers and signs, from rules/ (STYLE.md 8b): templates ask here, never write them.


# What stands for a note's id in the page's one copy of a note's controls (notes.js fills it in).
PLACEHOLDER_NOTE = "00000000-0000-0000-0000-000000000000"


@register.simple_tag
def placeholder_note() -> str:
    return PLACEHOLDER_NOTE


@register.simple_tag
def points() -> tuple[str, ...]:
    """Define's points in order (3, 2, 1), as the text the buttons post and compare."""
    return tuple(str(value) for value in scales.POINTS)


@register.simple_tag
def ratings() -> tuple[str, ...]:
    """The questionnaire's ratings (1 to 5), as the text the radios post and compare."""
    return tuple(str(value) for value in scales.RATINGS)


@register.simple_tag
def marks() -> dict[str, Mark]:
    """Invent's marks by name: ``marks.solves`` is the value, ``.symbol`` its sign (○),
    ``.weight`` what it counts for (1)."""
    return {mark.name.lower(): mark for mark in Mark}


@register.simple_tag
def customer_grid() -> dict[str, tuple[Promise, ...]]:
    """The customer board's headings: ``grid.columns`` (customer, organisation, environment)
    and ``grid.rows`` (facts, influence)."""
    return {"columns": boards.CUSTOMER_COLUMNS, "rows": boards.CUSTOMER_ROWS}


@register.simple_tag
def comment_max_length() -> int:
    """How long a questionnaire comment may be: the model's limit, which the form enforces."""
    return QuestionnaireAnswer.COMMENT_MAX_LENGTH


@register.simple_tag
def figure_scales() -> dict[str, object]:
    """The scales the computed figures are read on, for their one-line explanations."""
    return {
        "low": scales.RATINGS[0],
        "high": scales.RATINGS[-1],
        "neutral": f"{questionnaire.NEUTRAL_RATING:g}",
        "spread_flag": questionnaire.SPREAD_THRESHOLD,
        "spread_max": 0.5,
    }


@register.simple_tag
def listen_min_notes() -> int:
    """Fewer notes on the customer board than this: Listen needs another look."""
    return questionnaire.LISTEN_MIN_NOTES


@register.filter
def question(phase: str) -> str:
    """The deck's question for a phase of the questionnaire."""
    return str(questionnaire.QUESTIONS[phase])


@register.filter
def reason_words(reason: str, signals: questionnaire.Signals) -> str:
    """Why a phase ranks where it does, in words, with its figure."""
    return questionnaire.explain(reason, signals)


@register.filter
def number(value: Fraction | int) -> str:
    """A weight or a score as people write it: 1, 0.5 (never 1/2)."""
    return scales.number(value)


@register.filter
def marks_disagree(spread: float) -> bool:
    """Whether the ○/△ for an idea are spread enough to question the evaluation."""
    return questionnaire.marks_disagree(spread)
