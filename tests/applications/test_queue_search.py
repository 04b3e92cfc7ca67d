"""The work queue's search: what it finds, and on PostgreSQL that it finds it on an index."""

import pytest
from django.db import connection

from applicants.models import Applicant
from grants.models import Application, ApplicationState
from grants.selectors.queue import QueueFilter
from tests.factories import ApplicantFactory, advance, draft

S = ApplicationState
QUEUE = "/sachbearbeitung/antraege/"


@pytest.fixture
def three(world):
    """Three submitted applications: two of the world's applicant, one of another."""
    garden = draft(world)
    Application.objects.filter(pk=garden.pk).update(title="Gemeinschaftsgarten am Fluss")
    theatre = draft(world)
    Application.objects.filter(pk=theatre.pk).update(title="Theater für alle")
    other = draft(world)
    Application.objects.filter(pk=other.pk).update(title="Lesepaten")
    submitted = [
        advance(Application.objects.get(pk=a.pk), world, S.SUBMITTED)
        for a in (garden, theatre, other)
    ]
    # Handed over to another organisation after submission (the submit step asks for a member).
    Application.objects.filter(pk=other.pk).update(
        applicant=ApplicantFactory(name="Nachbarschaftshilfe Nordstadt e. V.")
    )
    return submitted


def _found(client, term: str) -> set[int]:
    response = client.get(QUEUE, {"q": term})
    assert response.status_code == 200
    return {a["pk"] for a in response.context["page"].object_list}


def test_it_finds_part_of_a_title_in_any_case(client, world, three):
    garden, _theatre, _other = three
    client.force_login(world.case_worker)
    assert _found(client, "GARTEN") == {garden.pk}
    assert _found(client, "  theater f ") == {three[1].pk}


def test_it_finds_part_of_the_applicants_name(client, world, three):
    client.force_login(world.case_worker)
    assert _found(client, "nordstadt") == {three[2].pk}


def test_it_finds_a_file_number_whole_in_lower_case_and_by_its_beginning(client, world, three):
    garden, theatre, other = three
    client.force_login(world.case_worker)
    assert _found(client, garden.file_number) == {garden.pk}
    assert _found(client, garden.file_number.lower()) == {garden.pk}
    year_prefix = garden.file_number.rsplit("-", 1)[0]  # WIR2-2026
    assert _found(client, year_prefix) == {garden.pk, theatre.pk, other.pk}
    # Not its beginning: the number part alone is found as a part of the file number.
    assert _found(client, garden.file_number.split("-", 1)[1]) == {garden.pk}


def test_the_counts_per_state_count_what_the_search_found(client, world, three):
    client.force_login(world.case_worker)
    response = client.get(QUEUE, {"q": "nordstadt"})
    assert response.context["page"].paginator.count == 1
    assert "Lesepaten" in response.content.decode()
    assert "Theater für alle" not in response.content.decode()


def _plan(queryset) -> str:
    with connection.cursor() as cursor:
        # The test tables are tiny, where reading them whole is cheapest; forbidding that shows
        # whether an index can serve the query at all, as it must on 100,000 rows.
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _searched(world, term: str):
    """The search's own condition, without the programme filter that a tiny table prefers."""
    filterset = QueueFilter(None, queryset=Application.objects.all(), user=world.case_worker)
    return filterset.search(Application.objects.order_by(), "q", term)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes: PostgreSQL only")
def test_on_postgresql_each_search_column_is_read_from_its_index(world, three):
    plan = _plan(_searched(world, "nordstadt"))
    for index in ("application_file_number_trgm", "application_title_trgm", "applicant_id"):
        assert index in plan, plan
    assert "BitmapOr" in plan and "Seq Scan" not in plan, plan
    names = _plan(Applicant.objects.filter(name__icontains="nordstadt").order_by().values("pk"))
    assert "applicant_name_trgm" in names, names


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pattern index: PostgreSQL only")
def test_on_postgresql_a_file_number_is_found_on_its_btree(world, three):
    plan = _plan(_searched(world, three[0].file_number.lower()))
    assert "grants_application_file_number" in plan and "_like" in plan, plan
    assert "trgm" not in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes: PostgreSQL only")
def test_on_postgresql_a_name_of_many_applicants_is_a_subquery_on_its_index(
    world, three, monkeypatch
):
    monkeypatch.setattr("grants.selectors.queue.FEW_APPLICANTS", 0)
    searched = _searched(world, "nordstadt")
    assert "applicants_applicant" in str(searched.query)
    plan = _plan(searched)
    assert "applicant_name_trgm" in plan and "SubPlan" in plan, plan
