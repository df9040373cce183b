from __future__ import annotations

import uuid

from django import template

register = template.Library()


@register.simple_tag
def new_uuid() -> str:
    """A fresh id for a form that creates something: posting it twice creates it once."""
    return str(uuid.uuid4())
