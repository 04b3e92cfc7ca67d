"""Letters of a file and the programmes' letter templates."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.types import AuthenticatedHttpRequest
from grants.errors import ActionRefused
from grants.forms import casework as f
from grants.models import (
    Application,
    Decision,
    Letter,
    LetterKind,
    LetterTemplate,
)
from grants.permissions import casework_programmes
from grants.services import letters
from grants.services.decisions import (
    LETTER_MAX_ATTEMPTS,
    letter_template_save,
)
from grants.views.casework.access import application_for_case_worker, require_case_worker


@login_required
@require_GET
def letter_download(request: AuthenticatedHttpRequest, pk: int, letter_id: int) -> FileResponse:
    app = application_for_case_worker(request, pk)
    letter = get_object_or_404(Letter, pk=letter_id, application=app)
    return FileResponse(
        letter.file.open("rb"),
        as_attachment=False,
        filename=letter.filename,
        content_type="application/pdf",
    )


def letters_context(
    app: Application, letters: list[Letter], decisions: list[Decision]
) -> dict[str, Any]:
    """The file's letters and the confirmed decisions whose letter is still being made."""
    made = {letter.decision_id for letter in letters}
    pending = [d for d in decisions if d.status == Decision.Status.CONFIRMED and d.pk not in made]
    return {
        "application": app,
        "letters": letters,
        "letters_pending": pending,
        "max_letter_attempts": LETTER_MAX_ATTEMPTS,
    }


@login_required
@require_GET
def letters_fragment(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """htmx: the file's letters, asked again while a decision's letter is being made."""
    app = application_for_case_worker(request, pk)
    context = letters_context(app, list(app.letters.all()), list(app.decisions.all()))
    return render(request, "grants/casework/_letters.html", context)


@login_required
@require_GET
def templates_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_case_worker(request)
    programmes = list(casework_programmes(request.user))
    stored = {
        (t.programme_id, t.kind, t.language): t
        for t in LetterTemplate.objects.filter(programme__in=programmes).select_related(
            "updated_by"
        )
    }
    rows = [
        {
            "programme": p,
            "kind": kind,
            "language": code,
            "language_name": name,
            "stored": stored.get((p.pk, kind.value, code)),
        }
        for p in programmes
        for kind in LetterKind
        for code, name in settings.LANGUAGES
    ]
    return render(request, "grants/casework/templates.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(
    request: AuthenticatedHttpRequest, programme_id: int, kind: str, language: str
) -> HttpResponse:
    require_case_worker(request)
    programme = get_object_or_404(casework_programmes(request.user), pk=programme_id)
    if kind not in LetterKind.values or language not in dict(
        __import__("django.conf").conf.settings.LANGUAGES
    ):
        raise Http404
    probe = Application(programme=programme)
    current = letters.template_for(probe, kind, language)
    form = f.LetterTemplateForm(
        request.POST or None,
        instance=LetterTemplate(
            programme=programme,
            kind=kind,
            language=language,
            subject=current.subject,
            body=current.body,
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            letter_template_save(
                programme=programme,
                actor=request.user,
                kind=kind,
                language=language,
                **{k: form.cleaned_data[k] for k in ("subject", "body")},
            )
        except ActionRefused as refused:
            for message in refused.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request, _("Die Vorlage ist gespeichert; sie gilt für alle neuen Bescheide.")
            )
            return redirect("casework:templates")
    return render(
        request,
        "grants/casework/template_edit.html",
        {
            "programme": programme,
            "kind": LetterKind(kind),
            "language": language,
            "form": form,
            "variables": letters.VARIABLES,
            "legal_remedy": programme.legal_remedy,
        },
    )
