from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from grants.models import StaffRole
from notifications import selectors, services
from notifications.forms import PreferenceForm


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
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
