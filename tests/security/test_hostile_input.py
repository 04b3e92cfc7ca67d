"""Property tests (hypothesis): random and hostile values in every form and htmx endpoint of
the portal and of case work never answer 500, and a refused request writes nothing.

The fields of each endpoint are read from its own page (every input, select and textarea of
its POST forms), so a field added later is covered without touching this file. Each request
runs in a savepoint that is rolled back, so examples do not see each other's writes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grants.models import (
    AgendaItem,
    Application,
    Committee,
    CommitteeMember,
    Meeting,
    RepaymentClaim,
)
from grants.services import payouts as payout_services
from grants.services.changes import change_request_submit
from grants.services.decisions import application_revoke
from tests.factories import CallFactory, S, advance, draft, pay
from tests.security.test_access_matrix import _writes

HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "1e309",
    "9" * 40,
    "1,5",
    "1.000.000,00",
    "0x1F",
    "abc",
    "x" * 5000,
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    "'; DROP TABLE grants_application; --",
    "2026-02-30",
    "99999-12-31",
    "0001-01-01",
    "１２３",
    "🙂" * 100,
    "../../etc/passwd",
    "[]",
    "None",
    "true",
]
VALUES = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=300))
SETTINGS = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class _Fields(HTMLParser):
    """Names of the fields in a page's POST forms (the language switch left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self._in_post_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            action = values.get("action") or ""
            self._in_post_form = (values.get("method") or "").lower() == "post" and not (
                action.startswith(("/i18n/", "/abmelden/"))
            )
        if self._in_post_form and tag in ("input", "select", "textarea", "button"):
            name = values.get("name")
            if name and name != "csrfmiddlewaretoken" and values.get("type") != "file":
                self.names.add(name)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_post_form = False


def fields_of(html: str) -> list[str]:
    parser = _Fields()
    parser.feed(html)
    return sorted(parser.names)


def _check(client: Any, method: str, url: str, data: dict[str, str]) -> None:
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        response = getattr(client, method)(url, data)
        transaction.set_rollback(True)
    assert response.status_code < 500, (method, url, data, response.status_code)
    if response.status_code not in (301, 302, 303):
        # A page answered again (form errors, a refusal, 4xx) means nothing was done.
        writes = _writes(queries.captured_queries)
        assert not writes, (url, data, writes)


def _fuzz(client: Any, url: str, method: str = "post", names: list[str] | None = None) -> None:
    if names is None:
        page = client.get(url)
        assert page.status_code == 200, (url, page.status_code)
        names = fields_of(page.content.decode())
    # A form of buttons alone still gets a field it does not expect.
    names = names or ["unerwartet"]

    @SETTINGS
    @given(data=st.fixed_dictionaries({name: VALUES for name in names}))
    def run(data: dict[str, str]) -> None:
        _check(client, method, url, data)

    run()


# --- the world --------------------------------------------------------------------------------


@pytest.fixture
def apps(world) -> dict[str, Any]:
    committee = Committee.objects.create(programme=world.programme, name="Ausschuss")
    for position, name in enumerate(["Frau Ahmadi", "Herr Berger"]):
        CommitteeMember.objects.create(committee=committee, name=name, position=position)
    review = advance(draft(world), world, S.IN_REVIEW)
    meeting = Meeting.objects.create(
        committee=committee,
        date=timezone.localdate() + dt.timedelta(days=7),
        created_by=world.case_worker,
    )
    AgendaItem.objects.create(
        meeting=meeting, application=review, position=1, proposed_amount=Decimal("8000.00")
    )
    running = advance(draft(world), world, S.RUNNING)
    payout = payout_services.payout_plan(
        application=running,
        actor=world.case_worker,
        amount=Decimal("100.00"),
        due_date=timezone.localdate(),
    )
    claim = RepaymentClaim.objects.create(
        application=running,
        principal=Decimal("50.00"),
        reason="Minderausgaben",
        due_date=timezone.localdate() + dt.timedelta(days=30),
        created_by=world.case_worker,
    )
    changing = advance(draft(world), world, S.RUNNING)
    change_request_submit(
        application=changing,
        actor=world.owner,
        kind="period",
        reason="Verzögerung",
        new_funding_end=changing.funding_end + dt.timedelta(days=60),
    )
    revoked = advance(draft(world), world, S.RUNNING)
    pay(revoked, world, Decimal("100.00"))
    application_revoke(application=revoked, actor=world.case_worker, reason="Zweck verfehlt")
    committee_call = CallFactory(programme=world.programme, decision_track="committee")
    on_committee_track = advance(draft(world), world, S.IN_REVIEW)
    Application.objects.filter(pk=on_committee_track.pk).update(call=committee_call)
    return {
        "draft": draft(world),
        "submitted": advance(draft(world), world, S.SUBMITTED),
        "review": review,
        "committee_track": on_committee_track,
        "changing": changing,
        "revoked": revoked,
        "proof_accepted": advance(draft(world), world, S.PROOF_ACCEPTED),
        "proposed": advance(draft(world), world, S.DECISION_PROPOSED),
        "running": running,
        "proof_due": advance(draft(world), world, S.PROOF_DUE),
        "proof_submitted": advance(draft(world), world, S.PROOF_SUBMITTED),
        "meeting": meeting,
        "payout": payout,
        "claim": claim,
    }


PORTAL_STEPS = [
    ("portal:project", "draft"),
    ("portal:classification", "draft"),
    ("portal:plan", "draft"),
    ("portal:check", "draft"),
    ("portal:payout", "running"),
    ("portal:change_request", "running"),
    ("portal:proof", "proof_due"),
    ("portal:withdraw", "review"),
]


@pytest.mark.parametrize(("name", "state"), PORTAL_STEPS)
def test_portal_forms(client, world, apps, name, state):
    client.force_login(world.owner)
    _fuzz(client, reverse(name, args=[apps[state].pk]))


def test_proof_income_form(client, world, apps):
    # The form sits on the proof page and posts to its own route.
    client.force_login(world.owner)
    _fuzz(
        client,
        reverse("portal:proof_income_add", args=[apps["proof_due"].pk]),
        names=["kind", "description", "amount"],
    )


def test_plan_totals_htmx(client, world, apps):
    client.force_login(world.owner)
    plan_page = client.get(reverse("portal:plan", args=[apps["draft"].pk])).content.decode()
    _fuzz(
        client, reverse("portal:plan_summary", args=[apps["draft"].pk]), names=fields_of(plan_page)
    )


@pytest.mark.parametrize(
    "name", ["applicants:applicant_edit", "applicants:invite", "applicants:account"]
)
def test_profile_and_account_forms(client, world, name):
    client.force_login(world.owner)
    args = [] if name == "applicants:account" else [world.applicant.pk]
    _fuzz(client, reverse(name, args=args))


@pytest.mark.parametrize(
    "name", ["applicants:register", "applicants:resend", "applicants:password_reset"]
)
def test_public_forms(client, db, name):
    _fuzz(client, reverse(name))


def _step_slugs() -> list[str]:
    from grants.views.casework.steps import STEPS

    return sorted(STEPS)


def _app_for_step(client: Any, world: Any, apps: dict[str, Any], slug: str) -> str:
    # Confirming or returning a proposal is the second person's step.
    for persona in ("case_worker", "second_case_worker"):
        client.force_login(getattr(world, persona))
        for key, app in apps.items():
            if key in ("meeting", "payout", "claim", "draft"):
                continue
            url = reverse("casework:step", args=[app.pk, slug])
            if client.get(url).status_code == 200:
                return url
    raise AssertionError(f"no application of the scenario offers step {slug}")


@pytest.mark.parametrize("slug", _step_slugs())
def test_case_work_steps(client, world, apps, slug):
    _fuzz(client, _app_for_step(client, world, apps, slug))


def test_case_work_note_and_meetings(client, world, apps):
    client.force_login(world.case_worker)
    file_page = client.get(reverse("casework:file", args=[apps["review"].pk])).content.decode()
    _fuzz(client, reverse("casework:note", args=[apps["review"].pk]), names=fields_of(file_page))
    _fuzz(client, reverse("casework:meetings"))


@pytest.mark.parametrize(
    "slug", ["befangenheit", "abstimmung", "niederschrift", "vorschlagen", "bestaetigen"]
)
def test_meeting_steps(client, world, apps, slug):
    client.force_login(world.case_worker)
    page = client.get(reverse("casework:meeting", args=[apps["meeting"].pk])).content.decode()
    names = [*fields_of(page), "item"]
    _fuzz(client, reverse("casework:meeting_step", args=[apps["meeting"].pk, slug]), names=names)


def test_budget_preview_htmx(client, world, apps):
    client.force_login(world.case_worker)
    url = reverse("casework:budget", args=[apps["review"].pk])
    _fuzz(client, url, method="get", names=["amount", "funding_start", "funding_end"])


@pytest.mark.parametrize("slug", ["zeichnen", "anordnen", "stornieren"])
def test_payout_steps(client, world, apps, slug):
    client.force_login(world.case_worker)
    url = reverse("casework:payout", args=[apps["payout"].pk, slug])
    _fuzz(client, url, names=["note", "reason", "version", "seen"])


def test_repayment_and_interest(client, world, apps):
    client.force_login(world.case_worker)
    claim = apps["claim"].pk
    _fuzz(client, reverse("casework:repayment", args=[claim]))
    _fuzz(client, reverse("casework:interest", args=[claim]), method="get", names=["repaid_on"])


def test_letter_templates(client, world):
    client.force_login(world.case_worker)
    _fuzz(client, reverse("casework:template", args=[world.programme.pk, "approval", "de"]))
