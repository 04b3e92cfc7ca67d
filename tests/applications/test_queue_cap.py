"""The work queue beyond the count cap: a search or filter matching more applications than
the cap is counted only up to it, says so in words, and still pages through the first ones."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grants.models import Application, ApplicationState, StateCount
from tests.factories import ApplicantFactory, advance, draft

S = ApplicationState
QUEUE = "/sachbearbeitung/antraege/"


@pytest.fixture
def gardens(world):
    """Five submitted applications with "Garten" in the title, one of them in review."""
    apps = []
    for n in range(5):
        app = draft(world)
        Application.objects.filter(pk=app.pk).update(title=f"Garten {n}")
        apps.append(advance(Application.objects.get(pk=app.pk), world, S.SUBMITTED))
    advance(apps[0], world, S.IN_REVIEW)
    return apps


@pytest.fixture
def cap_of_three(monkeypatch):
    monkeypatch.setattr("grants.selectors.queue.COUNT_CAP", 3)
    monkeypatch.setattr("grants.views.casework.queue.COUNT_CAP", 3)
    monkeypatch.setattr("grants.views.casework.queue.PER_PAGE", 2)


def test_more_matches_than_the_cap_are_not_counted_but_said(client, world, gardens, cap_of_three):
    client.force_login(world.case_worker)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE, {"q": "garten"})
    page = response.content.decode()
    assert response.context["counts"] is None
    assert "mehr als 3 Anträge, Seite 1 von 2" in page
    assert "Mehr als 3 Anträge: Die Anzahl nach Status wird gezählt" in page
    assert "Die Seiten zeigen die ersten 3 Anträge dieser Sortierung." in page
    assert "In Prüfung</a>" not in page
    # The count reads one row past the cap, not every match.
    counting = [
        q["sql"] for q in queries.captured_queries if '"state"' in q["sql"].split("FROM")[0]
    ]
    assert any(sql.rstrip().endswith("LIMIT 4") for sql in counting), counting


def test_beyond_the_cap_the_pages_go_as_far_as_the_cap(client, world, gardens, cap_of_three):
    client.force_login(world.case_worker)
    first = client.get(QUEUE, {"q": "garten"}).context["page"]
    second = client.get(QUEUE, {"q": "garten", "seite": 2}).context["page"]
    assert len(first.object_list) == 2 and len(second.object_list) == 1
    assert not {a["pk"] for a in first.object_list} & {a["pk"] for a in second.object_list}
    # Newest first: the pages hold the first three of the sort.
    newest = Application.objects.filter(title__startswith="Garten").order_by("-submitted_at", "-id")
    assert [a["pk"] for a in [*first.object_list, *second.object_list]] == [
        a.pk for a in newest[:3]
    ]
    # A page past the cap shows the last one there is.
    assert client.get(QUEUE, {"q": "garten", "seite": 3}).context["page"].number == 2
    assert 'seite=2">nächste Seite' in client.get(QUEUE, {"q": "garten"}).content.decode()


def test_up_to_the_cap_every_state_is_counted(client, world, gardens, cap_of_three):
    Application.objects.filter(pk__in=[a.pk for a in gardens[3:]]).update(title="Theater")
    client.force_login(world.case_worker)
    response = client.get(QUEUE, {"q": "garten"})
    page = response.content.decode()
    assert [(row["state"], row["n"]) for row in response.context["counts"]] == [
        (S.SUBMITTED, 2),
        (S.IN_REVIEW, 1),
    ]
    assert "3 Anträge, Seite 1 von 2" in page and "mehr als" not in page.lower()
    assert "Die Seiten zeigen" not in page


def test_a_filter_without_a_search_is_capped_too(client, world, gardens, cap_of_three):
    client.force_login(world.case_worker)
    response = client.get(QUEUE, {"assigned": "none"})
    assert response.context["counts"] is None
    assert "mehr als 3 Anträge" in response.content.decode()
    # Narrowed by state alone, the kept counts are exact however many there are.
    by_state = client.get(QUEUE, {"state": S.SUBMITTED})
    assert [(row["state"], row["n"]) for row in by_state.context["counts"]] == [(S.SUBMITTED, 4)]
    assert "4 Anträge, Seite 1 von 2" in by_state.content.decode()


def test_the_thousand_is_written_the_german_way(client, world, gardens, monkeypatch):
    monkeypatch.setattr("grants.selectors.queue.COUNT_CAP", 4)
    monkeypatch.setattr("grants.views.casework.queue.COUNT_CAP", 1000)
    client.force_login(world.case_worker)
    assert "mehr als 1.000 Anträge" in client.get(QUEUE, {"q": "garten"}).content.decode()


def test_a_name_shared_by_many_applicants_is_found_as_by_few(client, world, monkeypatch):
    names = ["Gartenfreunde Nord e. V.", "Gartenfreunde Süd e. V.", "Theaterverein"]
    apps = []
    for name in names:
        app = advance(draft(world), world, S.SUBMITTED)
        Application.objects.filter(pk=app.pk).update(applicant=ApplicantFactory(name=name))
        apps.append(app)
    client.force_login(world.case_worker)

    def found() -> set[int]:
        page = client.get(QUEUE, {"q": "gartenfreunde"}).context["page"]
        return {a["pk"] for a in page.object_list}

    assert found() == {apps[0].pk, apps[1].pk}
    monkeypatch.setattr("grants.selectors.queue.FEW_APPLICANTS", 1)
    with CaptureQueriesContext(connection) as queries:
        assert found() == {apps[0].pk, apps[1].pk}
    # Too many to list: the applicants are a subquery of the application's query.
    assert any(
        '"applicants_applicant"' in q["sql"] and '"grants_application"' in q["sql"]
        for q in queries.captured_queries
    )


def test_within_the_cap_the_page_is_read_from_the_ids_the_count_found(client, world, gardens):
    """The count of a search reads the matches' ids; the page is sorted from those instead of
    walking the sort's index past every row that does not match (a rare term at 1,000,000
    applications: 118 ms)."""
    client.force_login(world.case_worker)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE, {"q": "garten", "sort": "-file_number"})
    sorted_ids = [q["sql"] for q in queries.captured_queries if "ORDER BY" in q["sql"]]
    page_query = next(sql for sql in sorted_ids if 'file_number" DESC' in sql)
    # The ids in the order the count read them, which PostgreSQL does not fix.
    listed = page_query.split('"grants_application"."id" IN (', 1)[1].split(")", 1)[0]
    assert {int(pk) for pk in listed.split(", ")} == {a.pk for a in gardens}, page_query
    expected = sorted(gardens, key=lambda a: a.file_number, reverse=True)
    assert [row["pk"] for row in response.context["page"].object_list] == [a.pk for a in expected]


def test_a_kept_count_that_drifted_below_the_rows_hides_none(client, world, gardens):
    """The kept counts per state number the pages; until the nightly reconciliation they may
    be off, and the last page must still show every application it finds."""
    StateCount.objects.filter(programme=world.programme, state=S.SUBMITTED).update(n=1)
    client.force_login(world.case_worker)
    page = client.get(QUEUE, {"state": S.SUBMITTED}).context["page"]
    assert {row["pk"] for row in page.object_list} == {a.pk for a in gardens[1:]}
