"""The access matrix: every route of the URL configuration, for every persona, GET and POST,
with the real ids of one applicant's application, payout, letter, claim, meeting, documents.

Each route has an entry in ``access_audience.AUDIENCE`` (who may use it); a route without one fails
the test, so a new page cannot ship without saying who may see it. For everyone else the answer
must be the login (anonymous), 403 or 404, or 405 for a method the route does not take, and the
request must write nothing to the database but its session. Each request runs in a savepoint that
is rolled back, so allowed POSTs do not change what the next request sees.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp_webauthn.models import WebAuthnCredential

from applicants import services as applicant_services
from applicants.models import Membership, StandardDocument, User
from applicants.tokens import email_verification_token
from grants.models import (
    Attachment,
    Committee,
    CostLine,
    Decision,
    DocumentKind,
    DocumentType,
    Meeting,
    Receipt,
    RepaymentClaim,
    RequestItem,
    SavedQueueFilter,
    ThreadAttachment,
    UnplannedIncome,
)
from grants.services import payouts as payout_services
from grants.services.correspondence import thread_message_create
from grants.services.decisions import decision_letter_create
from notifications.models import Message
from reporting import services as reporting_services
from reporting.models import ReportRun
from tests.factories import S, World, advance, build_world, draft
from tests.security.access_audience import (
    ALSO_ALLOWED,
    ANONYMOUS,
    PERSONAS,
    audience,
)

# --- the routes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    params: tuple[str, ...]


def _walk(patterns: list, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            pattern = prefix + str(entry.pattern)
            params = tuple(
                m[0] or m[1] for m in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", pattern)
            )
            # The admin's unnamed catch-all is the only route without a name.
            name = entry.name or "catch_all"
            yield Route(f"{namespace}{name}", pattern, params)


def all_routes() -> list[Route]:
    return list(dict.fromkeys(_walk(get_resolver().url_patterns)))


def test_every_route_has_an_entry():
    missing = [route.name for route in all_routes() if _has_no_entry(route.name)]
    assert not missing, f"Routes without an entry in AUDIENCE: {missing}"


def _has_no_entry(name: str) -> bool:
    try:
        audience(name)
    except KeyError:
        return True
    return False


# --- the world the requests see -------------------------------------------------------------


@dataclass
class Scenario:
    world: World
    admin: User
    ids: dict[str, Any]


def _scenario() -> Scenario:
    world = build_world()
    admin_user = User.objects.create_superuser("root@example.org", "x")
    app = advance(draft(world), world, S.RUNNING)
    payout = payout_services.payout_plan(
        application=app,
        actor=world.case_worker,
        amount=Decimal("100.00"),
        due_date=timezone.localdate(),
    )
    payout_services.payout_certify(payout=payout, actor=world.case_worker)
    payout_services.payout_order(payout=payout, actor=world.second_case_worker)
    batch = reporting_services.payout_orders_export(actor=world.finance)
    run = ReportRun.objects.create(
        report="budget",
        file_format="xlsx",
        requested_by=world.finance,
        state=ReportRun.State.DONE,
        file=ContentFile(b"PK", name="budget.xlsx"),
    )
    document_type = DocumentType.objects.create(
        programme=world.programme, code="beschreibung", name="Projektbeschreibung"
    )
    attachment = Attachment.objects.create(
        application=app,
        document_type=document_type,
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="a.pdf"),
        original_name="a.pdf",
        content_type="application/pdf",
        size=15,
        uploaded_by=world.owner,
    )
    receipt = Receipt.objects.create(
        application=app,
        cost_line=CostLine.objects.filter(application=app).first(),
        number=1,
        date=timezone.localdate(),
        payee="Druckerei",
        description="Flyer",
        amount=Decimal("10.00"),
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="r.pdf"),
        original_name="r.pdf",
        content_type="application/pdf",
        size=15,
    )
    income = UnplannedIncome.objects.create(
        application=app, kind="private", description="Spende", amount=Decimal("10.00")
    )
    document = StandardDocument.objects.create(
        applicant=world.applicant,
        kind=StandardDocument.Kind.choices[0][0],
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="s.pdf"),
        original_name="s.pdf",
        content_type="application/pdf",
        size=15,
        uploaded_by=world.owner,
    )
    invitation = applicant_services.invitation_create(
        applicant=world.applicant,
        actor=world.owner,
        email="neu@example.org",
        base_url="http://testserver/",
    )
    token = re.search(r"/einladung/([^/]+)/", Message.objects.latest("pk").body_text).group(1)
    committee = Committee.objects.create(programme=world.programme, name="Ausschuss")
    meeting = Meeting.objects.create(
        committee=committee,
        date=timezone.localdate() + dt.timedelta(days=7),
        created_by=world.case_worker,
    )
    # A claim as the proof check would leave it; the path there is tested elsewhere.
    claim = RepaymentClaim.objects.create(
        application=app,
        principal=Decimal("50.00"),
        reason="Minderausgaben",
        due_date=timezone.localdate() + dt.timedelta(days=30),
        created_by=world.case_worker,
    )
    # The letter is made after the decision's commit, which a test transaction never reaches.
    letter = decision_letter_create(decision=Decision.objects.get(application=app))
    # A message with a file, and an item of a request (answered when the request is open).
    message = thread_message_create(application=app, actor=world.owner, body="Frage")
    thread_attachment = ThreadAttachment.objects.create(
        message=message,
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="m.pdf"),
        original_name="m.pdf",
        content_type="application/pdf",
        size=15,
    )
    request_item = RequestItem.objects.create(
        application=app,
        request=app.status_changes.latest("id"),
        position=1,
        text="Satzung",
    )
    inactive = User.objects.create_user(email="neu2@example.org", password="x", is_active=False)
    passkey = WebAuthnCredential.objects.create(
        user=world.case_worker, name="Passkey 1", credential_id=b"id", public_key=b"key"
    )
    saved = SavedQueueFilter.objects.create(
        user=world.case_worker, name="Meine", query="assigned=me"
    )
    ids = {
        "application": app.pk,
        "applicant": world.applicant.pk,
        "payout_id": payout.pk,
        "batch_id": batch.pk,
        "run_id": run.pk,
        "attachment_pk": attachment.pk,
        "receipt_pk": receipt.pk,
        "income_pk": income.pk,
        "doc_pk": document.pk,
        "item_pk": request_item.pk,
        "documents": [
            (DocumentKind.ATTACHMENT, attachment.pk),
            (DocumentKind.STANDARD_DOCUMENT, document.pk),
            (DocumentKind.THREAD_ATTACHMENT, thread_attachment.pk),
            (DocumentKind.RECEIPT, receipt.pk),
        ],
        "invitation_pk": invitation.pk,
        "membership_pk": Membership.objects.get(user=world.colleague).pk,
        "token": token,
        "meeting": meeting.pk,
        "claim_id": claim.pk,
        "letter_id": letter.pk,
        "filter_id": saved.pk,
        "passkey": passkey.pk,
        "call_pk": world.call.pk,
        "programme_id": world.programme.pk,
        "verify": (
            urlsafe_base64_encode(force_bytes(inactive.pk)),
            email_verification_token.make_token(inactive),
        ),
        "reset": (
            urlsafe_base64_encode(force_bytes(world.owner.pk)),
            default_token_generator.make_token(world.owner),
        ),
    }
    return Scenario(world=world, admin=admin_user, ids=ids)


def _admin_object_id(name: str) -> str:
    """The first object of the admin route's model, so change/delete pages show a real row."""
    for model, _model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            first = model._default_manager.order_by("pk").first()
            return str(first.pk) if first else "0"
    return "0"


def _admin_history_id(name: str) -> str:
    """The first recorded version of the admin route's model (django-simple-history)."""
    for model, _model_admin in admin.site._registry.items():
        if name == f"admin:{model._meta.app_label}_{model._meta.model_name}_simple_history":
            first = model.history.order_by("history_id").first()  # type: ignore[attr-defined]
            return str(first.history_id) if first else "0"
    return "0"


def _slugs(name: str) -> list[str]:
    from grants.views.casework.payouts import PAYOUT_STEPS
    from grants.views.casework.steps import STEPS

    if name == "casework:step":
        return sorted(STEPS)
    if name == "casework:payout":
        return sorted(PAYOUT_STEPS)
    if name == "casework:meeting_step":
        return ["befangenheit", "abstimmung", "niederschrift", "vorschlagen", "bestaetigen"]
    return ["x"]


def urls_for(route: Route, scenario: Scenario) -> list[str]:
    ids = scenario.ids
    name = route.name
    if name == "admin:catch_all":
        return ["/admin/gibt-es-nicht/"]
    if name.endswith("_simple_history"):
        # django-simple-history's page of one version: two unnamed groups, object and version.
        return [reverse(name, args=[_admin_object_id(name), _admin_history_id(name)])]
    if name.startswith("admin:"):
        kwargs: dict[str, Any] = {}
        for param in route.params:
            kwargs[param] = {
                "object_id": _admin_object_id(name),
                "app_label": "grants",
                "content_type_id": "1",
                "id": _admin_object_id(name),
            }.get(param, "0")
        if name == "admin:view_on_site":
            kwargs = {"content_type_id": 1, "object_id": "1"}
        return [reverse(name, kwargs=kwargs)]
    values: dict[str, Any] = {
        "payout_id": ids["payout_id"],
        "batch_id": ids["batch_id"],
        "run_id": ids["run_id"],
        "attachment_pk": ids["attachment_pk"],
        "receipt_pk": ids["receipt_pk"],
        "item_pk": ids["item_pk"],
        "income_pk": ids["income_pk"],
        "doc_pk": ids["doc_pk"],
        "invitation_pk": ids["invitation_pk"],
        "membership_pk": ids["membership_pk"],
        "token": ids["token"],
        "claim_id": ids["claim_id"],
        "letter_id": ids["letter_id"],
        "letter_pk": ids["letter_id"],
        "filter_id": ids["filter_id"],
        "call_pk": ids["call_pk"],
        "programme_id": ids["programme_id"],
        "number": 1,
        "language": "de",
        "esp": "postmark",
        "name": "budget",
    }
    if name.startswith("applicants:"):
        values["pk"] = ids["applicant"]
    elif name.startswith("casework:meeting"):
        values["pk"] = ids["meeting"]
        values["kind"] = "tagesordnung"
    else:
        values["pk"] = ids["application"]
    if name == "passkey_remove":
        values["pk"] = ids["passkey"]
    if name == "casework:template":
        values["kind"] = "approval"
    if name == "mail_webhook":
        values["kind"] = "tracking"
    if name == "applicants:verify":
        values["uidb64"], values["token"] = ids["verify"]
    if name == "applicants:password_reset_confirm":
        values["uidb64"], values["token"] = ids["reset"]
    if name == "portal:document":
        return [
            reverse(name, args=[ids["application"], kind, document_pk])
            for kind, document_pk in ids["documents"]
        ]
    urls = []
    for slug in _slugs(name) if "slug" in route.params else [None]:
        kwargs = {param: values[param] for param in route.params if param != "slug"}
        if slug is not None:
            kwargs["slug"] = slug
        urls.append(reverse(name, kwargs=kwargs))
    return urls


# --- outcomes ---------------------------------------------------------------------------------

LOGIN_PATHS = ("/anmelden/", "/admin/login/")


def outcome(response: Any) -> str:
    status = response.status_code
    if status == 405:
        return "method"
    if status in (403, 404):
        return "denied"
    if status in (301, 302) and response["Location"].split("?")[0] in LOGIN_PATHS:
        return "login"
    if status == 302 and response["Location"] == "/admin/":
        return "admin start"
    # 409: let in, but the step does not fit the state (an autosave after submission).
    if status in (200, 204, 301, 302, 303, 400, 409, 422, 429):
        return "allowed"
    return f"error {status}"


def expected(name: str, persona: str) -> set[str]:
    if persona == "admin" and name.startswith("admin:"):
        # Which model the admin may add to or delete from is the ModelAdmin's decision (the
        # audit trail is read-only, for one); here it counts that the admin is let in.
        return {"allowed", "admin start", "denied", "method"}
    if persona in audience(name):
        return {"allowed", "admin start", "method", *ALSO_ALLOWED.get(name, ())}
    if name.startswith("admin:"):
        # The admin sends whom it does not let in to its login (which answers a logged-in
        # person 403, applicants.views.admin_login), or, for a page about a row that does
        # not exist, to its start page.
        return {"denied", "login", "admin start", "method"}
    if persona == ANONYMOUS and name != "mail_webhook":
        return {"login", "method"}
    return {"denied", "method"}


WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b(?!.*\"?(django_session|axes_)\w*)", re.I | re.S)


def _writes(queries: list[dict[str, str]]) -> list[str]:
    return [
        q["sql"][:120]
        for q in queries
        if WRITE.match(q["sql"]) and "django_session" not in q["sql"]
    ]


def _login(client: Any, scenario: Scenario, persona: str) -> str:
    if persona == ANONYMOUS:
        return ""
    user = scenario.admin if persona == "admin" else getattr(scenario.world, persona)
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _restore_session(client: Any, session_key: str) -> None:
    # A login, logout or key rotation inside a rolled-back request changed only the cookie:
    # the session row of the persona is still there.
    if session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    else:
        client.cookies.pop(settings.SESSION_COOKIE_NAME, None)


def _request(client: Any, method: str, url: str) -> tuple[Any, list[str]]:
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        response = getattr(client, method)(url)
        transaction.set_rollback(True)
    return response, _writes(queries.captured_queries)


@pytest.fixture
def scenario(db, settings, tmp_path) -> Scenario:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path, "base_url": None},
        },
    }
    return _scenario()


@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix(client, scenario, persona):
    client.raise_request_exception = False
    problems: list[str] = []
    session_key = _login(client, scenario, persona)
    for route in all_routes():
        for url in urls_for(route, scenario):
            for method in ("get", "post"):
                _restore_session(client, session_key)
                response, writes = _request(client, method, url)
                got = outcome(response)
                wanted = expected(route.name, persona)
                if got not in wanted:
                    problems.append(
                        f"{method.upper()} {url} [{route.name}]: {got}, wanted {sorted(wanted)}"
                    )
                elif persona not in audience(route.name) and writes:
                    problems.append(
                        f"{method.upper()} {url} [{route.name}]: {got} but wrote {writes}"
                    )
    assert not problems, f"{persona}:\n" + "\n".join(problems)
