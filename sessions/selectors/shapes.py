"""How the typed views are made from rows, and handed to Django's templates (which look names
up in a mapping)."""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING, TypeVar

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
