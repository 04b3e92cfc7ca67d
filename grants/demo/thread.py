"""The demo's message threads: questions and answers between an applicant and the case worker,
with PDF files, and a Nachforderung answered item by item. Steps of a story, through the real
services, like the portal's thread form and the answer form of each item."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import format_html

from grants.demo.story import Cast, Story
from grants.selectors.correspondence import open_request
from grants.services.correspondence import request_item_answer, thread_message_create
from grants.services.letters import html_to_pdf

# A file named, headed and written in a line: (file name, heading, text).
File = tuple[str, str, str]

PAGE = """<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>{heading}</title>
<style>@page {{ size: A4; margin: 25mm 20mm; }} body {{ font-family: sans-serif; }}</style>
</head><body><p>Demo-Dokument</p><h1>{heading}</h1><p>{text}</p></body></html>
"""


def _pdfs(files: tuple[File, ...]) -> list[SimpleUploadedFile]:
    # format_html escapes: the texts stand for what applicants and staff type.
    return [
        SimpleUploadedFile(
            name,
            html_to_pdf(format_html(PAGE, heading=heading, text=text)),
            content_type="application/pdf",
        )
        for name, heading, text in files
    ]


def write(
    story: Story, on: dt.date, body: str, *, staff: bool = False, files: tuple[File, ...] = ()
) -> Story:
    """A message of the thread, by the case worker (``staff``) or the applicant's owner."""

    def run(s: Story, c: Cast) -> None:
        thread_message_create(
            application=s.app(),
            actor=s.case_worker(c) if staff else s.owner(c),
            body=body,
            uploads=_pdfs(files),
        )

    return story._add(on, "Nachricht", run)


def answer_item(
    story: Story, on: dt.date, position: int, text: str, files: tuple[File, ...] = ()
) -> Story:
    """The owner answers item ``position`` of the open Nachforderung, with its files."""

    def run(s: Story, c: Cast) -> None:
        request = open_request(s.app())
        if request is None:
            raise LookupError(f"{s.title}: keine offene Nachforderung")
        request_item_answer(
            item=request.items.get(position=position),
            actor=s.owner(c),
            text=text,
            uploads=_pdfs(files),
        )

    return story._add(on, "Antwort auf die Nachforderung", run)
