"""How the typed views are made from rows, and handed to Django's templates (which look names
up in a mapping)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import TYPE_CHECKING, TypeVar

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    ViewT = TypeVar("ViewT", bound=DataclassInstance)


def view_of(cls: type[ViewT], row: object, **computed: object) -> ViewT:
    """A frozen view of ``row``: each field read from the row's attribute of the same name,
    except those ``computed`` here (an author's label, say)."""
    read = {
        field.name: getattr(row, field.name) for field in fields(cls) if field.name not in computed
    }
    return cls(**read, **computed)


def names_of(view: DataclassInstance) -> dict[str, object]:
    """The fields of a frozen view as the names a template reads (``{{ board }}`` for
    ``view.board``): shallow, so nested views stay the typed objects they are."""
    return {field.name: getattr(view, field.name) for field in fields(view)}


# User text on a page is isolated for direction: a note, a name or a title ending in a
# right-to-left override (U+202E) turns only itself around, never the author's name or the words
# shown after it. Templates write <bdi> around what people typed; sentences made here of several
# typed parts isolate each part.


def isolated(text: object) -> SafeString:
    """Text a person typed, escaped, in its own <bdi>."""
    return format_html("<bdi>{}</bdi>", text)


def isolated_sentence(template: str, parts: Mapping[str, object]) -> SafeString:
    """Our catalog's ``template`` (``%(name)s`` placeholders), escaped, with each of ``parts``
    put in: a part made here already (SafeString) as it is, any other isolated."""
    return mark_safe(
        conditional_escape(template)
        % {
            name: part if isinstance(part, SafeString) else isolated(part)
            for name, part in parts.items()
        }
    )


def in_seat_order(labels: Mapping[int, str], counts: Mapping[int, int]) -> list[tuple[str, int]]:
    """Each person's count with their name, in the order they joined (``labels`` is in seat
    order), not the order of their names' characters; anyone not in ``labels`` comes last."""
    named = [(label, counts[pk]) for pk, label in labels.items() if pk in counts]
    return named + [("?", count) for pk, count in counts.items() if pk not in labels]
