"""The work queue's rows and filter options as cheap as they can be, with what users see and
can do unchanged: one "mir zuweisen" form for all rows, addresses built once per page, the
filter's programme, call, field-of-action and area options in one query."""

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grants.models import Application, ApplicationState, Area, Call, FieldOfAction, StaffRole
from grants.selectors.queue import filter_choices
from tests.factories import CallFactory, ProgrammeFactory, advance, draft, staff

S = ApplicationState
QUEUE = "/sachbearbeitung/antraege/"


def test_every_row_assigns_through_one_form_naming_its_file_and_assignee(client, world):
    free = advance(draft(world), world, S.SUBMITTED)
    taken = advance(draft(world), world, S.SUBMITTED)
    Application.objects.filter(pk=taken.pk).update(assigned_to=world.second_case_worker)
    client.force_login(world.case_worker)
    page = client.get(QUEUE, {"state": S.SUBMITTED}).content.decode()
    forms = re.findall(r'<form id="assign" method="post"[^>]*>(.*?)</form>', page)
    assert len(forms) == 1 and "csrfmiddlewaretoken" in forms[0]
    assert '<input type="hidden" name="query" value="state=submitted">' in forms[0]
    rows = page.split("<tbody")[1].split("</tbody>")[0]
    assert "csrfmiddlewaretoken" not in rows and "<form" not in rows
    for app, shown in [(free, ""), (taken, str(world.second_case_worker.pk))]:
        assert (
            f'<button type="submit" form="assign" formaction="{QUEUE}{app.pk}/mir-zuweisen/" '
            f'name="shown" value="{shown}"'
        ) in page
        # Screen readers hear which file each button takes.
        assert f'<span class="kern-sr-only"> {app.file_number}</span></button>' in page
        assert f'<a class="kern-link" href="{QUEUE}{app.pk}/">{app.file_number}</a>' in page


def test_a_button_of_the_one_form_takes_its_file_and_keeps_the_filter(client, world):
    app = advance(draft(world), world, S.SUBMITTED)
    client.force_login(world.case_worker)
    # What the browser sends for the row's button: the form's fields and the button's value.
    response = client.post(
        f"{QUEUE}{app.pk}/mir-zuweisen/", {"query": "state=submitted", "shown": ""}
    )
    assert response["Location"] == f"{QUEUE}?state=submitted"
    app.refresh_from_db()
    assert app.assigned_to == world.case_worker
    assert f"{app.file_number}</a>" in client.get(QUEUE).content.decode()


def test_an_overdue_deadline_says_so_and_a_later_one_does_not(client, world):
    late = advance(draft(world), world, S.SUBMITTED)
    soon = advance(draft(world), world, S.SUBMITTED)
    today = timezone.localdate()
    Application.objects.filter(pk=late.pk).update(next_deadline=today - dt.timedelta(days=1))
    Application.objects.filter(pk=soon.pk).update(next_deadline=today + dt.timedelta(days=1))
    client.force_login(world.case_worker)
    page = client.get(QUEUE).content.decode()
    yesterday = (today - dt.timedelta(days=1)).strftime("%d.%m.%Y")
    tomorrow = (today + dt.timedelta(days=1)).strftime("%d.%m.%Y")
    assert f'<span class="fp-overdue">{yesterday} – überschritten</span>' in page
    assert f"<span>{tomorrow}</span>" in page


def test_the_filter_options_come_in_one_query_in_the_models_order(world):
    other = ProgrammeFactory(code="A1")
    StaffRole.objects.create(
        user=world.case_worker, programme=other, role=StaffRole.Role.CASE_WORKER
    )
    CallFactory(programme=other, deadline=timezone.now() + dt.timedelta(days=90))
    FieldOfAction.objects.create(programme=other, code="kultur", name="Kultur", position=2)
    FieldOfAction.objects.create(programme=other, code="sport", name="Sport", position=1)
    ids = sorted([world.programme.pk, other.pk])
    with CaptureQueriesContext(connection) as queries:
        choices = filter_choices(ids)
    assert len(queries.captured_queries) == 1
    assert choices == {
        "programme": [
            (p.pk, str(p))
            for p in world.programme._meta.model.objects.filter(pk__in=ids).order_by("code")
        ],
        "call": [(c.pk, str(c)) for c in Call.objects.filter(programme__in=ids)],
        "field_of_action": [
            (f.pk, str(f)) for f in FieldOfAction.objects.filter(programme__in=ids)
        ],
        "area": [(a.pk, str(a)) for a in Area.objects.filter(programme__in=ids)],
    }
    labels = [label for _pk, label in choices["field_of_action"]]
    assert labels.index("Sport") < labels.index("Kultur")


def test_a_chosen_option_filters_and_a_foreign_one_is_refused(client, world):
    app = advance(draft(world), world, S.SUBMITTED)
    foreign = CallFactory()
    client.force_login(world.case_worker)
    chosen = client.get(QUEUE, {"call": world.call.pk})
    assert f'<option value="{world.call.pk}" selected>' in chosen.content.decode()
    assert [a["pk"] for a in chosen.context["page"].object_list] == [app.pk]
    refused = client.get(QUEUE, {"call": foreign.pk})
    assert refused.context["filter"].errors
    assert str(foreign) not in refused.content.decode()


def test_the_queue_runs_twelve_queries(client, world):
    advance(draft(world), world, S.SUBMITTED)
    client.force_login(world.case_worker)
    client.get(QUEUE)  # warm: the session's and the site's one-off reads
    with CaptureQueriesContext(connection) as queries:
        client.get(QUEUE)
    # Fifteen before the filter's four option lists became one query.
    assert len(queries.captured_queries) == 12, [q["sql"][:80] for q in queries.captured_queries]


def test_a_colleague_with_a_four_digit_id_can_be_taken_over(client, world):
    """Ids are not numbers to read: rendered in German they would say "987.654", and the file
    would always count as "assigned meanwhile" (seen on PostgreSQL, whose ids pass 1,000)."""
    colleague = staff(world.programme, pk=987654)
    app = advance(draft(world), world, S.SUBMITTED)
    Application.objects.filter(pk=app.pk).update(assigned_to=colleague)
    client.force_login(world.case_worker)
    page = client.get(QUEUE).content.decode()
    assert f'formaction="{QUEUE}{app.pk}/mir-zuweisen/" name="shown" value="987654"' in page
    client.post(f"{QUEUE}{app.pk}/mir-zuweisen/", {"query": "", "shown": "987654"})
    app.refresh_from_db()
    assert app.assigned_to == world.case_worker
