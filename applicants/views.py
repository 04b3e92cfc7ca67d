"""Accounts (register, confirm, log in, reset password, language) and applicant profiles.

Every view on a profile starts with an access helper from ``applicants.selectors``: members
see their applicant (404 for anyone else), owners alone change it (403 for colleagues).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from applicants import privacy, selectors, services
from applicants.forms import (
    AccountDeleteForm,
    AccountForm,
    ApplicantForm,
    InvitationForm,
    KernPasswordChangeForm,
    KernPasswordResetForm,
    KernSetPasswordForm,
    RegistrationForm,
    ResendVerificationForm,
    StandardDocumentForm,
)
from applicants.models import Membership, User
from applicants.second_factor import needs_second_factor
from config.forms import LoginForm
from config.security import safe_next
from core.files import file_response
from core.types import AuthenticatedHttpRequest
from grants.errors import NotPermitted, RuleViolated
from grants.permissions import staff_start_page

RATE_LIMITED = 429


def _data(request: HttpRequest):
    """The submitted data, or None for a GET: an empty POST must still be validated."""
    return request.POST if request.method == "POST" else None


def _files(request: AuthenticatedHttpRequest):
    return request.FILES if request.method == "POST" else None


def _limited(request: HttpRequest, group: str, rate: str, key: str = "ip") -> bool:
    return is_ratelimited(request, group=group, key=key, rate=rate, method="POST", increment=True)


def _too_many(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    context["limit_message"] = _(
        "Zu viele Versuche in kurzer Zeit. Bitte warten Sie eine Stunde und versuchen Sie es dann erneut."
    )
    return render(request, template, context, status=RATE_LIMITED)


def _with_language(response: HttpResponse, language: str) -> HttpResponse:
    # Only the cookie: the next request is served in this language by LocaleMiddleware, and
    # the thread's active language is left alone.
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response


# --- accounts -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("portal:dashboard")
    form = RegistrationForm(
        _data(request), initial={"language": translation.get_language() or "de"}
    )
    context = {"form": form}
    if request.method == "POST":
        # Per address and machine: nobody can flood a stranger's inbox or create accounts en masse.
        if _limited(request, "register", "5/h") or _limited(
            request, "register-email", "3/h", key="post:email"
        ):
            return _too_many(request, "applicants/register.html", context)
        if form.is_valid():
            data = form.cleaned_data
            services.user_register(
                email=data["email"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                language=data["language"],
                base_url=settings.PORTAL_BASE_URL,
            )
            request.session["registered_email"] = data["email"]
            return _with_language(redirect("applicants:register_done"), data["language"])
    return render(request, "applicants/register.html", context)


def register_done(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "applicants/register_done.html",
        {"email": request.session.get("registered_email", "")},
    )


def verify(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = services.user_verify_email(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "applicants/verify_failed.html", status=400)
    messages.success(
        request, _("Ihre E-Mail-Adresse ist bestätigt. Sie können sich jetzt anmelden.")
    )
    # The first login leads straight on to the profile, the next thing a new applicant needs.
    target = f"{reverse('login')}?{urlencode({'email': user.email, 'next': reverse('applicants:applicant_create')})}"
    return _with_language(redirect(target), user.language)


@require_http_methods(["GET", "POST"])
def resend_verification(request: HttpRequest) -> HttpResponse:
    form = ResendVerificationForm(_data(request))
    context = {"form": form}
    if request.method == "POST":
        if _limited(request, "resend", "5/h") or _limited(
            request, "resend-email", "3/h", key="post:email"
        ):
            return _too_many(request, "applicants/resend.html", context)
        if form.is_valid():
            user = User.objects.filter(
                email__iexact=form.cleaned_data["email"], is_active=False
            ).first()
            if user is not None:
                services.send_verification(user=user, base_url=settings.PORTAL_BASE_URL)
            # The same answer for every address: the form does not reveal who has an account.
            messages.success(
                request,
                _(
                    "Wenn zu dieser Adresse ein unbestätigtes Konto gehört, ist ein neuer Link unterwegs."
                ),
            )
            return redirect("login")
    return render(request, "applicants/resend.html", context)


class LoginView(auth_views.LoginView):
    """Log in by e-mail; pages follow the account's language.

    Failed attempts are counted by django-axes (``login_locked_out`` answers a lock-out);
    staff go on to the second factor (``applicants.second_factor``).
    """

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_initial(self):
        return {"username": self.request.GET.get("email", "")}

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        if needs_second_factor(user):
            self.request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
        elif form.cleaned_data.get("remember"):
            self.request.session.set_expiry(settings.SESSION_COOKIE_AGE)
        else:
            # Ends with the browser: a shared computer does not stay logged in.
            self.request.session.set_expiry(0)
        return _with_language(response, user.language)

    def get_default_redirect_url(self):
        # Staff land where their work is (case work or finance), people acting for an
        # applicant on their applications, everyone else on the start page.
        start = staff_start_page(self.request.user)
        if start is not None:
            return start
        if selectors.applicants_for_user(self.request.user).exists():
            return reverse("portal:dashboard")
        return reverse("home")


def login_locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """django-axes' answer once an address or a client has failed too often (AXES_LOCKOUT_CALLABLE)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    # Unbound: validating it again would count one more failed attempt.
    form = LoginForm(request, initial={"username": request.POST.get("username", "")})
    context = {
        "form": form,
        "next": safe_next(request, ""),
        "limit_message": _(
            "Zu viele fehlgeschlagene Anmeldungen. Bitte warten Sie %(minutes)s Minuten und versuchen Sie es dann erneut."
        )
        % {"minutes": minutes},
    }
    return render(request, "registration/login.html", context, status=RATE_LIMITED)


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin has no login of its own: the portal's login with its second factor serves it."""
    target = safe_next(request, reverse("admin:index"))
    if request.user.is_authenticated:
        # Logged in but not let in by the admin: sending them to the login would bounce back
        # here for ever.
        if not admin.site.has_permission(request):
            raise PermissionDenied
        return redirect(target)
    return redirect(f"{reverse('login')}?{urlencode({'next': target})}")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = KernPasswordResetForm
    template_name = "applicants/password_reset.html"
    success_url = reverse_lazy("applicants:password_reset_done")

    def post(self, request, *args, **kwargs):
        if _limited(request, "reset", "10/h") or _limited(
            request, "reset-email", "3/h", key="post:email"
        ):
            return _too_many(
                request, self.template_name, self.get_context_data(form=self.get_form())
            )
        return super().post(request, *args, **kwargs)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "applicants/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = KernSetPasswordForm
    template_name = "applicants/password_reset_confirm.html"
    success_url = reverse_lazy("applicants:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "applicants/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change the password while logged in; the session stays valid, others end."""

    form_class = KernPasswordChangeForm
    template_name = "applicants/password_change.html"
    success_url = reverse_lazy("applicants:account")

    def form_valid(self, form):
        messages.success(self.request, _("Ihr neues Passwort ist gespeichert."))
        return super().form_valid(form)


@login_required
@require_http_methods(["GET", "POST"])
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = AccountForm(
        _data(request),
        initial={
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.language,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.user_update_account(user=user, **form.cleaned_data)
        language = form.cleaned_data["language"]
        with translation.override(language):
            messages.success(request, _("Ihre Angaben sind gespeichert."))
        return _with_language(redirect("applicants:account"), language)
    return render(
        request,
        "applicants/account.html",
        {"form": form, "staff_security": needs_second_factor(user)},
    )


@login_required
def account_export(request: AuthenticatedHttpRequest) -> FileResponse:
    filename = f"foerderportal-daten-{timezone.localdate():%Y-%m-%d}.zip"
    return FileResponse(
        privacy.account_export(user=request.user),
        as_attachment=True,
        filename=filename,
        content_type="application/zip",
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    check = privacy.account_deletion_check(request.user)
    form = AccountDeleteForm(_data(request), user=request.user)
    if request.method == "POST" and not check.refusals and form.is_valid():
        try:
            privacy.account_delete(user=request.user)
        except RuleViolated as exc:
            # Something changed since the page was shown (e.g. a colleague left).
            check = privacy.DeletionCheck(exc.messages, check.retained)
        else:
            logout(request)
            messages.success(request, _("Ihr Konto ist gelöscht. Ihre Angaben sind anonymisiert."))
            return redirect("home")
    return render(request, "applicants/account_delete.html", {"form": form, "check": check})


# --- applicant profile ----------------------------------------------------------------------


@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    applicants = list(selectors.applicants_for_user(request.user))
    if len(applicants) == 1:
        return redirect("applicants:applicant", pk=applicants[0].pk)
    return render(request, "applicants/profile_list.html", {"applicants": applicants})


@login_required
@require_http_methods(["GET", "POST"])
def applicant_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.user.is_staff:
        raise PermissionDenied
    form = ApplicantForm(
        _data(request),
        initial={
            "contact_name": request.user.get_full_name(),
            "contact_email": request.user.email,
            "email": request.user.email,
        },
    )
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            applicant = services.applicant_create(actor=request.user, data=form.cleaned_data)
        except RuleViolated as exc:
            refusal = exc.messages
        else:
            messages.success(request, _("Ihr Profil ist angelegt."))
            return redirect(
                safe_next(request, reverse("applicants:applicant", args=[applicant.pk]))
            )
    return render(
        request,
        "applicants/applicant_form.html",
        {"form": form, "refusal": refusal, "creating": True},
    )


@login_required
def applicant_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    membership = selectors.membership_get(request.user, pk)
    applicant = membership.applicant
    documents = selectors.current_documents(applicant)
    return render(
        request,
        "applicants/applicant_detail.html",
        {
            "applicant": applicant,
            "membership": membership,
            "is_owner": membership.role == Membership.Role.OWNER,
            "documents": documents,
            "warning_days": selectors.EXPIRY_WARNING_DAYS,
            "expiring": selectors.expiring_documents(applicant),
            "members": applicant.memberships.select_related("user").order_by("role", "user__email"),
            "invitations": selectors.open_invitations(applicant),
            "document_form": StandardDocumentForm(),
        },
    )


def _owner_membership(request: AuthenticatedHttpRequest, pk: int) -> Membership:
    membership = selectors.membership_get(request.user, pk)
    if membership.role != Membership.Role.OWNER:
        raise PermissionDenied
    return membership


@login_required
@require_http_methods(["GET", "POST"])
def applicant_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    applicant = _owner_membership(request, pk).applicant
    form = ApplicantForm(_data(request), instance=applicant)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            services.applicant_update(
                applicant=applicant, actor=request.user, data=form.cleaned_data
            )
        except RuleViolated as exc:
            refusal = exc.messages
        else:
            messages.success(request, _("Ihr Profil ist gespeichert."))
            return redirect(safe_next(request, reverse("applicants:applicant", args=[pk])))
        applicant.refresh_from_db()
    return render(
        request,
        "applicants/applicant_form.html",
        {"form": form, "applicant": applicant, "refusal": refusal, "creating": False},
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    applicant = selectors.membership_get(request.user, pk).applicant
    form = StandardDocumentForm(_data(request), _files(request))
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            services.standard_document_add(
                applicant=applicant,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                valid_until=form.cleaned_data["valid_until"],
            )
        except RuleViolated as exc:
            refusal = exc.messages
        else:
            messages.success(request, _("Das Dokument ist gespeichert."))
            return redirect("applicants:applicant", pk=pk)
    return render(
        request,
        "applicants/document_form.html",
        {"form": form, "applicant": applicant, "refusal": refusal},
    )


@login_required
def document_download(request: AuthenticatedHttpRequest, doc_pk: int) -> FileResponse:
    document = selectors.standard_document_get(request.user, doc_pk)
    return file_response(
        document.file,
        filename=document.original_name,
        content_type=document.content_type,
        inline="download" not in request.GET,
    )


@login_required
@require_POST
def document_delete(request: AuthenticatedHttpRequest, doc_pk: int) -> HttpResponse:
    document = selectors.standard_document_get(request.user, doc_pk)
    try:
        services.standard_document_remove(document=document, actor=request.user)
    except NotPermitted as exc:
        raise PermissionDenied(exc.messages[0]) from exc
    messages.success(request, _("Das Dokument ist gelöscht."))
    return redirect("applicants:applicant", pk=document.applicant_id)


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    applicant = _owner_membership(request, pk).applicant
    form = InvitationForm(_data(request))
    refusal = None
    if request.method == "POST":
        if _limited(request, f"invite-{pk}", "20/h", key="user"):
            return _too_many(
                request, "applicants/invite.html", {"form": form, "applicant": applicant}
            )
        if form.is_valid():
            try:
                services.invitation_create(
                    applicant=applicant,
                    actor=request.user,
                    email=form.cleaned_data["email"],
                    base_url=settings.PORTAL_BASE_URL,
                )
            except RuleViolated as exc:
                refusal = exc.messages
            else:
                messages.success(
                    request,
                    _("Die Einladung an %(email)s ist unterwegs.")
                    % {"email": form.cleaned_data["email"]},
                )
                return redirect("applicants:applicant", pk=pk)
    return render(
        request,
        "applicants/invite.html",
        {"form": form, "applicant": applicant, "refusal": refusal},
    )


@login_required
@require_POST
def invitation_cancel(
    request: AuthenticatedHttpRequest, pk: int, invitation_pk: int
) -> HttpResponse:
    applicant = _owner_membership(request, pk).applicant
    invitation = get_object_or_404(applicant.invitations, pk=invitation_pk)
    services.invitation_cancel(invitation=invitation, actor=request.user)
    messages.success(request, _("Die Einladung ist zurückgenommen."))
    return redirect("applicants:applicant", pk=pk)


@login_required
@require_POST
def member_remove(request: AuthenticatedHttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    own = selectors.membership_get(request.user, pk)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "applicant"), pk=membership_pk, applicant_id=pk
    )
    if membership.pk != own.pk and own.role != Membership.Role.OWNER:
        raise PermissionDenied
    try:
        services.membership_remove(membership=membership, actor=request.user)
    except RuleViolated as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("applicants:applicant", pk=pk)
    if membership.pk == own.pk:
        messages.success(
            request, _("Sie gehören nicht mehr zu %(name)s.") % {"name": own.applicant.name}
        )
        return redirect("portal:dashboard")
    messages.success(
        request,
        _("%(email)s gehört nicht mehr zu Ihrer Organisation.") % {"email": membership.user.email},
    )
    return redirect("applicants:applicant", pk=pk)


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = services.invitation_for_token(token)
    if found is None or not found.is_open:
        return render(request, "applicants/invitation.html", {"invitation": None}, status=404)
    refusal = None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('login')}?next={request.path}")
        try:
            membership = services.invitation_accept(token=token, user=request.user)
        except RuleViolated as exc:
            refusal = exc.messages
        else:
            messages.success(
                request,
                _("Sie können jetzt für %(name)s handeln.") % {"name": membership.applicant.name},
            )
            return redirect("portal:dashboard")
    return render(request, "applicants/invitation.html", {"invitation": found, "refusal": refusal})
