"""seed_demo: demo data in every state, reached through the services, with a consistent budget
ledger; a second run changes nothing.

The seed runs once per class (``setUpTestData``): it walks about forty applications through
hundreds of service calls, and every test here only reads what it produced.
"""

import datetime as dt
import importlib
from decimal import Decimal
from io import BytesIO, StringIO
from unittest import mock

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Sum
from django.test import TestCase, override_settings
from django.utils import timezone
from pypdf import PdfReader
from schwifty import IBAN
from time_machine import escape_hatch

from applicants.models import Applicant, User
from grants import demo
from grants.demo.committees import RFVT_JURY, WIR2_COMMITTEE
from grants.demo.story import Story
from grants.models import (
    AgendaItem,
    Application,
    ApplicationState,
    Attachment,
    Budget,
    Call,
    Committee,
    CommitteeVote,
    Decision,
    DecisionYearAmount,
    Meeting,
    MemberVote,
    Payout,
    Programme,
    RepaymentClaim,
    RequestItem,
    StaffRole,
    StatusChange,
    ThreadAttachment,
    ThreadMessage,
    UnplannedIncome,
)
from grants.selectors.payouts import commitment_by_year, payouts_by_year
from grants.selectors.proof import repayment_interest
from grants.services import committees
from reporting.selectors import budget_lines

# Demo attachments are real files; keep them out of the private media directory.
IN_MEMORY_FILES = {
    **settings.STORAGES,
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}


@pytest.fixture(autouse=True)
def _private_media() -> None:
    """Replaces the suite's per-test media directory: the seed's files are written once for the
    class (setUpTestData) into IN_MEMORY_FILES and must still be there in each test."""


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for app_label in ("applicants", "grants")
        for model in apps.get_app_config(app_label).get_models()
    }


def assert_the_clock_is_real() -> None:
    # Not travelling means datetime and time are time-machine's originals again.
    assert not escape_hatch.is_travelling()
    assert abs(timezone.now() - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, stderr=StringIO())
    return out.getvalue()


# The fast hasher for the whole class: setUpTestData runs before per-test fixtures.
@override_settings(
    STORAGES=IN_MEMORY_FILES,
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
)
class SeedDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        # The base rates are reference data from a data migration; a transactional test that
        # ran earlier in the same session flushed them, as it flushes every table.
        base_rates = importlib.import_module("grants.migrations.0004_base_rates")
        base_rates.seed(apps, None)
        cls.output = seed()

    def test_it_creates_at_least_thirty_applications(self):
        assert Application.objects.count() >= 30

    def test_every_application_state_has_an_application(self):
        present = set(Application.objects.values_list("state", flat=True))
        assert set(ApplicationState.values) - present == set()

    def test_every_payout_state_has_a_payout(self):
        present = set(Payout.objects.values_list("state", flat=True))
        assert set(Payout.State.values) - present == set()

    def test_one_repayment_claim_is_open_and_one_settled_with_interest(self):
        assert RepaymentClaim.objects.filter(state=RepaymentClaim.State.OPEN).exists()
        settled = RepaymentClaim.objects.filter(state=RepaymentClaim.State.SETTLED)
        assert settled.exists()
        for claim in settled:
            assert claim.interest > 0 and claim.repaid_on, claim
            # The portal's own § 49a computation from the stored base rates, not a copy.
            assert claim.interest == repayment_interest(claim, claim.repaid_on).total
            assert claim.repaid == claim.principal
        # One claim was repaid in two parts: interest on the first part stopped on its day.
        assert any(claim.repayments.count() == 2 for claim in settled)

    def test_a_proof_of_use_declares_income_outside_the_plan(self):
        assert UnplannedIncome.objects.filter(
            application__state=ApplicationState.PROOF_SUBMITTED
        ).exists()

    def test_funding_bodies_name_the_account_for_repayments(self):
        for programme in Programme.objects.select_related("funding_body"):
            assert programme.funding_body.iban, programme
            assert "eines Monats" in programme.legal_remedy
            assert "Verwaltungsgericht Hannover" in programme.legal_remedy

    def test_budgets_of_2023_and_2024_are_the_real_figures(self):
        def budget(code: str, year: int, area: str | None = None) -> Budget:
            return Budget.objects.get(
                programme__code=code, fiscal_year=year, funding_area__code=area
            )

        for year in (2023, 2024):
            gross, small = budget("WIR2", year, "2"), budget("WIR2", year, "3")
            assert (gross.amount, small.amount) == (Decimal("200000.00"), Decimal("50000.00"))
            assert not gross.is_example and not small.is_example
        assert budget("RFVT", 2023).amount == Decimal("150000.00")
        assert budget("RFVT", 2024).amount == Decimal("200000.00")
        assert "(verify)" in budget("RFVT", 2023).note
        assert "(verify)" in budget("RFVT", 2024).note
        for year in (2025, 2026, 2027):
            assert budget("WIR2", year, "2").is_example
            assert budget("RFVT", year).is_example
            assert budget("RFVT", year).amount == Decimal("200000.00")

    def test_committed_equals_the_ledger_and_never_exceeds_the_budget(self):
        for budget in Budget.objects.annotate(ledger=Sum("entries__amount")):
            assert budget.committed == (budget.ledger or Decimal("0.00")), budget
            assert Decimal("0.00") <= budget.committed <= budget.amount, budget
        assert Budget.objects.filter(committed__gt=0).count() >= 10

    def test_applications_past_the_draft_have_a_file_number_and_a_history(self):
        submitted = Application.objects.exclude(state=ApplicationState.DRAFT)
        for application in submitted:
            assert application.file_number, application
            assert application.status_changes.exists(), application
        assert not StatusChange.objects.filter(application__state=ApplicationState.DRAFT).exists()

    def test_the_history_lies_in_the_past_and_file_numbers_follow_the_calendar(self):
        assert not StatusChange.objects.filter(created_at__gt=timezone.now()).exists()
        for application in Application.objects.exclude(file_number=None):
            submitted = timezone.localtime(application.submitted_at)
            assert application.file_number.split("-")[1] == str(submitted.year)
        assert StatusChange.objects.filter(created_at__year=2023).exists()

    def test_payouts_never_exceed_the_approved_grant(self):
        for application in Application.objects.exclude(approved_amount=None):
            assert application.paid_or_pending_amount <= application.approved_amount

    def test_multi_year_projects_of_the_regionsfonds_are_split_over_fiscal_years(self):
        split = DecisionYearAmount.objects.filter(
            decision__application__programme__code="RFVT", decision__status="confirmed"
        )
        decisions = split.values("decision").annotate(years=Count("id")).filter(years__gte=2)
        assert decisions.count() >= 3
        # The notice's years follow its payment plan and add up to the grant.
        for decision in Decision.objects.filter(pk__in=decisions.values("decision")):
            shares = dict(decision.year_amounts.values_list("fiscal_year", "amount"))
            assert sum(shares.values()) == decision.amount
            # At most the two fiscal years the programme allows.
            assert len(shares) <= 2
            assert set(shares) <= set(
                range(decision.funding_start.year, decision.funding_end.year + 1)
            )

    def test_no_fiscal_year_shows_more_paid_than_committed(self):
        """Issue 10: the demo once showed 36,933.33 € paid against 20,540.18 € committed for
        WIR 2.0 in 2025, and the budget report agreed with it."""
        lines = budget_lines(Programme.objects.values_list("pk", flat=True))
        assert any(line.paid for line in lines)
        for line in lines:
            assert line.paid - line.repaid <= line.committed, line
        for application in Application.objects.exclude(approved_amount=None):
            shares = commitment_by_year(application)
            for year, booked in payouts_by_year(application).items():
                assert booked <= shares.get(year, 0), (application.file_number, year)

    def test_each_programme_has_open_calls_on_each_decision_track(self):
        now = timezone.now()
        open_calls = Call.objects.filter(opens_at__lte=now, deadline__gte=now)
        assert open_calls.filter(programme__code="WIR2", funding_area__code="2").exists()
        assert open_calls.filter(programme__code="WIR2", funding_area__code="3").exists()
        for track in (Call.DecisionTrack.ADMINISTRATION, Call.DecisionTrack.COMMITTEE):
            assert open_calls.filter(programme__code="RFVT", decision_track=track).exists()
        upcoming = Call.objects.get(title__startswith=f"Regionsfonds {now.year + 1}")
        assert (upcoming.opens_at.month, upcoming.deadline.month) == (4, 5)

    def test_the_demo_clock_is_put_back(self):
        assert_the_clock_is_real()

    def test_seeded_attachments_are_real_pdfs(self):
        attachments = Attachment.objects.select_related("application")
        assert attachments.count() >= 30
        assert set(attachments.values_list("content_type", flat=True)) == {"application/pdf"}
        attachment = attachments.first()
        with attachment.file.open("rb") as stored:
            reader = PdfReader(BytesIO(stored.read()), strict=True)
        assert len(reader.pages) >= 1
        text = " ".join(reader.pages[0].extract_text().split())
        assert attachment.application.title in text
        assert "Projektbeschreibung" in text

    def test_the_demo_shows_message_threads_with_a_nachforderung_answered_item_by_item(self):
        both_sides = ThreadMessage.objects.values("application").annotate(
            sides=Count("from_staff", distinct=True)
        )
        assert len([row for row in both_sides if row["sides"] == 2]) >= 2
        mentoring = Application.objects.get(title__startswith="Vorstandsmentoring")
        items = list(mentoring.request_items.order_by("position"))
        assert len(items) == 2 and all(item.answered for item in items)
        assert items[1].answer.attachments.count() == 2
        assert mentoring.state != ApplicationState.CHANGES_REQUESTED
        # One request is still half answered, so the demo shows an open item too.
        open_items = RequestItem.objects.filter(
            application__state=ApplicationState.CHANGES_REQUESTED, answer__isnull=True
        )
        assert open_items.exists()
        attachment = ThreadAttachment.objects.first()
        with attachment.file.open("rb") as stored:
            PdfReader(BytesIO(stored.read()), strict=True)

    def test_each_decision_was_confirmed_with_its_letter(self):
        confirmed = Decision.objects.filter(status=Decision.Status.CONFIRMED)
        assert confirmed.count() >= 20
        for decision in confirmed:
            assert decision.letters.exists(), decision

    def test_committees_have_members_and_their_past_meetings_are_closed(self):
        wir2 = Committee.objects.get(programme__code="WIR2", name=WIR2_COMMITTEE)
        jury = Committee.objects.get(programme__code="RFVT", name=RFVT_JURY)
        assert wir2.members.filter(is_active=True).count() >= 7
        assert jury.members.filter(is_active=True).count() == 5
        today = timezone.localdate()
        past = Meeting.objects.filter(date__lt=today)
        assert past.count() >= 8
        assert not past.filter(closed_at=None).exists()
        assert not past.filter(minutes="").exists()
        # Every committee vote was cast member by member on an agenda item.
        for vote in CommitteeVote.objects.all():
            counts = vote.agenda_item.member_votes.values_list("choice", flat=True)
            assert list(counts).count(MemberVote.Choice.YES) == vote.votes_yes, vote

    def test_an_application_above_the_administrations_limit_can_be_decided_in_an_upcoming_meeting(
        self,
    ):
        application = Application.objects.get(
            programme__code="WIR2", state=ApplicationState.AWAITING_VOTE
        )
        assert (
            application.plan.requested_amount > application.programme.administrative_decision_limit
        )
        item = AgendaItem.objects.get(application=application, vote=None)
        meeting = item.meeting
        assert meeting.date > timezone.localdate() and meeting.closed_at is None
        first, second = User.objects.filter(
            staff_roles__programme=application.programme,
            staff_roles__role=StaffRole.Role.CASE_WORKER,
        ).order_by("email")
        members = meeting.committee.members.filter(is_active=True)

        committees.agenda_item_record_votes(
            item=item, actor=first, votes={m.pk: MemberVote.Choice.YES for m in members}
        )
        committees.meeting_propose_decisions(meeting=meeting, actor=first)
        committees.meeting_confirm_decisions(meeting=meeting, actor=second)

        application.refresh_from_db()
        assert application.state == ApplicationState.APPROVED
        assert application.approved_amount == item.proposed_amount

    def test_every_demo_login_works_with_the_published_password(self):
        for email, _role in demo.demo_logins():
            assert User.objects.get(email=email).check_password(demo.DEMO_PASSWORD), email
        assert User.objects.get(email=demo.ADMIN_EMAIL).is_superuser

    def test_each_programme_has_two_case_workers_and_finance(self):
        for programme in Programme.objects.all():
            roles = StaffRole.objects.filter(programme=programme)
            assert roles.filter(role=StaffRole.Role.CASE_WORKER).count() == 2
            assert roles.filter(role=StaffRole.Role.FINANCE).count() == 1

    def test_applicants_have_valid_ibans_and_an_owner(self):
        applicants = Applicant.objects.all()
        assert applicants.count() == 4
        for applicant in applicants:
            IBAN(applicant.iban)
            assert applicant.memberships.filter(role="owner").exists()

    def test_it_prints_counts_per_state_and_the_logins(self):
        assert "Verwendungsnachweis: Nachforderung" in self.output
        assert demo.DEMO_PASSWORD in self.output
        assert "sachbearbeitung1@region-hannover.example" in self.output

    def test_a_second_run_changes_nothing(self):
        counts = row_counts()
        budgets = list(Budget.objects.order_by("pk").values_list("pk", "amount", "committed"))
        states = dict(Application.objects.values_list("pk", "state"))

        output = seed()

        assert row_counts() == counts
        assert list(Budget.objects.order_by("pk").values_list("pk", "amount", "committed")) == (
            budgets
        )
        assert dict(Application.objects.values_list("pk", "state")) == states
        assert "0 Anträge angelegt" in output

    def test_a_failing_step_leaves_the_clock_real(self):
        broken = Story(
            programme="WIR2",
            call="wir2-klein-open",
            applicant="verein1",
            title="Kaputte Geschichte",
            summary="",
            goals="",
            period=(dt.date(2025, 1, 1), dt.date(2025, 2, 1)),
            costs=[],
            financing=[],
            fields=[],
            areas=[],
            groups=[],
            participants=0,
            expect=ApplicationState.DRAFT,
        )

        def fail(story: Story, cast: object) -> None:
            assert timezone.localdate() == dt.date(2025, 1, 2)
            raise RuntimeError("Schritt schlägt fehl")

        broken._add(dt.date(2025, 1, 2), "Fehler", fail)
        with (
            mock.patch("grants.demo.seeding.all_stories", return_value=[broken]),
            self.assertRaisesMessage(RuntimeError, "Schritt schlägt fehl"),
        ):
            demo.seed()
        assert_the_clock_is_real()

    def test_it_refuses_to_run_in_production(self):
        with self.settings(PRODUCTION=True), self.assertRaises(CommandError):
            call_command("seed_demo", stdout=StringIO())
