"""Every page of the load benchmark (bench/load.py) runs the same number of queries whatever
the number of applications: measured here at two sizes of the benchmark's own data."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.fill import fill
from grants.models import ApplicationState
from tests.factories import advance, draft, pay

S = ApplicationState

CASEWORK_PAGES = [
    "/sachbearbeitung/antraege/",
    "/sachbearbeitung/antraege/?q=Verein",
    "/sachbearbeitung/antraege/?state=running",
    "/sachbearbeitung/antraege/?seite=2",
    "/sachbearbeitung/antraege/?assigned=me",
    "/sachbearbeitung/antraege/?sort=deadline",
    "/sachbearbeitung/antraege/?sort=-requested",
    "/sachbearbeitung/antraege/?deadline=overdue",
    "/sachbearbeitung/antraege/{pk}/",
    "/sachbearbeitung/",
]
APPLICANT_PAGES = ["/antraege/", "/antraege/{pk}/"]
FINANCE_PAGES = ["/finanzen/", "/finanzen/auszahlungen/", "/finanzen/berichte/"]


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries.captured_queries)


def _counts(client, world, app) -> dict[str, int]:
    counts = {}
    for user, urls in [
        (world.case_worker, CASEWORK_PAGES),
        (world.owner, APPLICANT_PAGES),
        (world.finance, FINANCE_PAGES),
    ]:
        client.force_login(user)
        for url in urls:
            url = url.format(pk=app.pk)
            _count(client, url)  # warm: sessions, caches, the site's one-off reads
            counts[url] = _count(client, url)
    return counts


def test_no_page_of_the_benchmark_runs_more_queries_with_more_applications(client, world):
    app = advance(draft(world), world, S.RUNNING)
    pay(app, world, Decimal("1000.00"))
    fill(40, programmes=[world.programme], seed=1)
    small = _counts(client, world, app)
    fill(160, programmes=[world.programme], seed=2)
    large = _counts(client, world, app)
    assert large == small
