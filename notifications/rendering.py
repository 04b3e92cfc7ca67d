"""Turning a kind, a language and a context into subject, text and HTML.

Each kind has one file per language, ``notifications/mail/<kind>.<lang>.txt``: the first line
is the subject, then a blank line, then the text. Staff may replace it per programme in the
admin (``MessageTemplate``). The HTML part is built from the text (paragraphs, ``- `` lists,
links) inside one accessible layout, so the two parts never say different things.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from django.template import Context, Engine, TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils.html import urlize
from django.utils.safestring import SafeString, mark_safe

from notifications.models import MessageTemplate

logger = logging.getLogger(__name__)

# Mail text is not HTML: escaping "&" to "&amp;" in a plain-text mail would be a bug.
text_engine = Engine(
    app_dirs=True,
    autoescape=False,
    builtins=["django.templatetags.i18n", "django.templatetags.l10n"],
)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def _source(kind: str, language: str, programme_id: int | None) -> tuple[str, str] | None:
    """Subject and body source edited by staff, the programme's before the general one."""
    candidates = MessageTemplate.objects.filter(kind=kind, language=language)
    for template in sorted(candidates, key=lambda t: t.programme_id is None):
        if template.programme_id in (programme_id, None):
            return template.subject, template.body
    return None


def _split(rendered: str) -> tuple[str, str]:
    subject, _sep, body = rendered.lstrip("\n").partition("\n")
    return " ".join(subject.split()), _tidy(body)


def _tidy(text: str) -> str:
    # Template tags and includes leave stray blank lines; a mail has at most one in a row.
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


def render(
    kind: str, language: str, context: dict[str, Any], programme_id: int | None = None
) -> Rendered:
    """Renders in whatever language is active; callers wrap it in ``translation.override``."""
    edited = _source(kind, language, programme_id)
    rendered_edited = None
    if edited is not None:
        try:
            subject: str = text_engine.from_string(edited[0]).render(Context(context))
            text: str = text_engine.from_string(edited[1]).render(Context(context))
            rendered_edited = " ".join(subject.split()), _tidy(text)
        except Exception:
            # A broken staff text must not block the step that sends it (the mail is written
            # in the step's transaction): the shipped text goes out instead.
            logger.exception("Edited mail template %s/%s failed; using the file", kind, language)
    if rendered_edited is not None:
        subject, text = rendered_edited
    else:
        name = f"notifications/mail/{kind}.{language}.txt"
        try:
            template = text_engine.get_template(name)
        except TemplateDoesNotExist:
            template = text_engine.get_template(f"notifications/mail/{kind}.de.txt")
        subject, text = _split(template.render(Context(context)))
    html = render_to_string(
        "notifications/mail/layout.html",
        {"subject": subject, "content": text_to_html(text), "language": language, **context},
    )
    return Rendered(subject=subject[:255], text=text, html=html)


_LIST_ITEM = re.compile(r"^\s*[-•]\s+")


def text_to_html(text: str) -> SafeString:
    """Blank lines make paragraphs, lines starting with "- " make a list; all else escaped."""
    parts: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        paragraph: list[str] = []
        items: list[str] = []
        for line in block.splitlines():
            if _LIST_ITEM.match(line):
                if paragraph:
                    parts.append("<p>" + "<br>\n".join(paragraph) + "</p>")
                    paragraph = []
                items.append(f"<li>{_line(_LIST_ITEM.sub('', line))}</li>")
            else:
                if items:
                    parts.append("<ul>" + "".join(items) + "</ul>")
                    items = []
                paragraph.append(_line(line))
        if paragraph:
            parts.append("<p>" + "<br>\n".join(paragraph) + "</p>")
        if items:
            parts.append("<ul>" + "".join(items) + "</ul>")
    return mark_safe("\n".join(parts))


def _line(line: str) -> str:
    return urlize(line.strip(), autoescape=True)
