from __future__ import annotations

import html
import uuid

from django import template
from django.utils.html import strip_tags

register = template.Library()


@register.simple_tag
def new_uuid() -> str:
    """A fresh id for a form that creates something: posting it twice creates it once."""
    return str(uuid.uuid4())


_MARKDOWN_SPECIAL = str.maketrans(
    {c: "\\" + c for c in "\\`*_[]{}()#+-!|>~"} | {"<": "&lt;", "&": "&amp;", "\n": " ", "\r": ""}
)


@register.filter
def md(value: object) -> str:
    """User text made inert in Markdown: no markup, no HTML, no line breaks (tables)."""
    return str(value if value is not None else "").translate(_MARKDOWN_SPECIAL)


@register.filter
def md_from_html(value: object) -> str:
    """An HTML fragment we rendered (user text escaped in it) as inert Markdown text."""
    return md(html.unescape(strip_tags(str(value))).strip())
