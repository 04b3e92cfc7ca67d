from anymail import urls as anymail_urls
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from core.types import AuthenticatedHttpRequest
from grants.models import StaffRole
from notifications import selectors, services
from notifications.forms import PreferenceForm


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The signed-in user's own settings; there is no way to reach anyone else's."""
    user = request.user
    offer_digest = StaffRole.objects.filter(user=user, role=StaffRole.Role.CASE_WORKER).exists()
    preference = services.preference_get(user)
    form = PreferenceForm(
        request.POST or None,
        offer_digest=offer_digest,
        initial={"language": user.language, "digest": preference.digest},
    )
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        services.preference_update(
            user=user,
            digest=form.cleaned_data.get("digest", preference.digest),
            language=language,
        )
        translation.activate(language)
        messages.success(request, _("Ihre Einstellungen sind gespeichert."))
        response = redirect("notifications:preferences")
        # The pages follow the language chosen for the mails.
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        return response
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "bounced": selectors.bounced_address(user.email),
            "recent": selectors.messages_for_user(user)[:10],
        },
    )


def configured_esp() -> str:
    """The mail provider whose webhooks are mounted: MAIL_WEBHOOK_ESP, else the provider of
    EMAIL_BACKEND (``anymail.backends.postmark.EmailBackend`` → ``postmark``)."""
    if settings.MAIL_WEBHOOK_ESP:
        return settings.MAIL_WEBHOOK_ESP
    parts = settings.EMAIL_BACKEND.split(".")
    return parts[2] if parts[:2] == ["anymail", "backends"] and len(parts) > 3 else ""


@csrf_exempt
def mail_webhook(request: HttpRequest, esp: str, kind: str) -> HttpResponse:
    """Anymail's webhook for the configured provider only; every other provider's URL is a 404.

    Mounting all of anymail's URLs left a dozen views of providers we do not use, which
    answered 500 for lack of their settings. The provider's own view checks the basic auth
    (WEBHOOK_SECRET) as before.
    """
    if esp != configured_esp():
        raise Http404
    for pattern in anymail_urls.urlpatterns:
        match = pattern.resolve(f"{esp}/{kind}/")
        if match is not None:
            return match.func(request, *match.args, **match.kwargs)
    raise Http404
