"""A workshop file read and checked: typed reads that refuse with the value's path.

Every value of a file is checked (type, length, choice, reference) before anything is written:
a malformed or hostile file is refused with the place and the reason (ImportRefused).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from sessions.exports.portable import FORMAT, VERSION
from sessions.models import QuestionnaireAnswer
from sessions.rules import scales
from sessions.rules.questionnaire import PHASES

MAX_BYTES = 5 * 1024 * 1024
MAX_ITEMS = 5000  # of any one list: far beyond a real workshop
EARLIEST_YEAR, LATEST_YEAR = 2000, 2999


class ImportRefused(ValueError):
    """The file is not a workshop this version can import; the message says where and why."""


def max_length(model: type[models.Model], field: str) -> int:
    return int(model._meta.get_field(field).max_length or 0)  # type: ignore[union-attr]


class Reader:
    """Typed reads from the parsed JSON, each refusing with the value's path."""

    def refuse(self, path: str, why: str) -> ImportRefused:
        return ImportRefused(_("%(path)s: %(why)s") % {"path": path, "why": why})

    def obj(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.refuse(path, _("expected an object"))
        return value

    def items(self, value: Any, path: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.refuse(path, _("expected a list"))
        if len(value) > MAX_ITEMS:
            raise self.refuse(path, _("too many items"))
        return value

    def text(self, data: dict[str, Any], key: str, path: str, max_length: int) -> str:
        value = data.get(key, "")
        if not isinstance(value, str):
            raise self.refuse(f"{path}.{key}", _("expected a text"))
        if len(value) > max_length:
            raise self.refuse(
                f"{path}.{key}", _("longer than %(n)s characters") % {"n": max_length}
            )
        if "\x00" in value:
            raise self.refuse(f"{path}.{key}", _("contains a NUL character"))
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate, "\ud800"
            raise self.refuse(f"{path}.{key}", _("is not valid text")) from None
        return value

    def key(self, data: dict[str, Any], path: str, taken: dict[str, Any]) -> str:
        """The item's own key: present, and not one an earlier item has."""
        value = self.text(data, "key", path, 20)
        if not value or value in taken:
            raise self.refuse(f"{path}.key", _("missing or repeated"))
        return value

    def choice(self, data: dict[str, Any], key: str, path: str, choices: Iterable[Any]) -> Any:
        value = data.get(key)
        for allowed in choices:
            # Of the same type too: JSON's true is not the number 1, nor 1.0 the score 1.
            same_type = (
                isinstance(value, str)
                if isinstance(allowed, str)
                else (type(value) is type(allowed))
            )
            if same_type and value == allowed:
                return value
        raise self.refuse(f"{path}.{key}", _("not one of the allowed values"))

    def ref(self, data: dict[str, Any], key: str, path: str, known: dict[str, Any]) -> Any:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or value not in known:
            raise self.refuse(f"{path}.{key}", _("refers to nothing in the file"))
        return known[value]


def ratings(reader: Reader, value: Any, path: str) -> dict[str, dict[str, Any]]:
    ratings = reader.obj(value, path)
    clean: dict[str, dict[str, Any]] = {}
    for phase, rating in ratings.items():
        if phase not in PHASES:
            raise reader.refuse(path, _("not one of the allowed values"))
        item = reader.obj(rating, f"{path}.{phase}")
        clean[phase] = {
            "rating": reader.choice(item, "rating", f"{path}.{phase}", (None, *scales.RATINGS)),
            "comment": reader.text(
                item, "comment", f"{path}.{phase}", QuestionnaireAnswer.COMMENT_MAX_LENGTH
            ),
        }
    return clean


def parse(raw: bytes | str) -> dict[str, Any]:
    """The file's JSON, once it is small enough and well-formed."""
    if len(raw) > MAX_BYTES:
        raise ImportRefused(_("The file is larger than 5 MB."))
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as error:
        raise ImportRefused(_("The file is not valid JSON: %(error)s") % {"error": error}) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportRefused(_("This is not a Gyakusan workshop file."))
    if data.get("version") != VERSION:
        raise ImportRefused(_("This workshop file's version is not supported."))
    return data


def created_at(r: Reader, head: dict[str, Any]) -> datetime:
    value = r.text(head, "created_at", "workshop", 40)
    try:
        moment = datetime.fromisoformat(value)
        moment = moment if timezone.is_aware(moment) else timezone.make_aware(moment)
    except (ValueError, OverflowError):
        raise r.refuse("workshop.created_at", _("not a date and time")) from None
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise r.refuse("workshop.created_at", _("not a date and time"))
    return moment
