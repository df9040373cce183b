"""Typed views handed to Django's templates, which look names up in a mapping."""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


def names_of(view: DataclassInstance) -> dict[str, object]:
    """The fields of a frozen view as the names a template reads (``{{ board }}`` for
    ``view.board``): shallow, so nested views stay the typed objects they are."""
    return {field.name: getattr(view, field.name) for field in fields(view)}
