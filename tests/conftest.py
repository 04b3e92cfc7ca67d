"""Shared test setup: Playwright on Debian's Chromium, and an axe-core accessibility check.

Browser tests carry ``@pytest.mark.browser``. Without /usr/bin/chromium they are skipped, or,
with REQUIRE_BROWSER=1 (as in CI), they fail: a CI run must never pass by skipping them.
"""

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from django.test import Client, RequestFactory

if TYPE_CHECKING:
    from grants.models import Application
    from tests.factories import World

# Playwright's sync API runs an event loop in the test thread; Django would then refuse the
# ORM calls that tests using live_server make to set up data.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_MISSING = f"Chromium not installed at {CHROMIUM}: apt-get install chromium"
AXE_JS = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts in German, the site's default language.

    LocaleMiddleware activates the request's language in the test thread and never resets
    it, so a test that fetched an English page would leave the next tests in English.
    """
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("browser") is None or CHROMIUM.exists():
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{CHROMIUM_MISSING} (REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(CHROMIUM_MISSING)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    # Never `playwright install`: no downloads on our machines; use Debian's Chromium.
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # Headless Chromium asks for English; our users, and so our screenshots, are German.
    # axe-core is injected as an inline script, which our Content-Security-Policy refuses:
    # the checks bypass it (tests/security/test_headers_and_error_pages.py checks that pages
    # carry no inline script).
    return {**browser_context_args, "locale": "de-DE", "bypass_csp": True}


def _format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        lines.extend(
            f"    - {json.dumps(node['target'])}: {node['html'][:200]}"
            for node in violation["nodes"]
        )
    return "\n".join(lines)


@pytest.fixture
def axe_check() -> Callable[..., list[dict[str, Any]]]:
    """``axe_check(page)`` fails on any serious or critical WCAG 2.1 A/AA violation.

    Returns all violations (including minor and moderate ones) for further assertions.
    """

    def check(page: Any) -> list[dict[str, Any]]:
        assert AXE_JS.exists(), f"{AXE_JS} missing: run `npm ci` (make test does)"
        # A page under an enforced Content-Security-Policy cannot take the inline script; its
        # test loads axe-core beforehand with ``page.add_init_script(path=AXE_JS)``.
        if not page.evaluate("typeof axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE_JS))
        results = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        violations = results["violations"]
        blocking = [v for v in violations if v["impact"] in AXE_BLOCKING_IMPACTS]
        assert not blocking, (
            f"axe-core found serious/critical accessibility violations on {page.url}:\n"
            + _format_violations(blocking)
        )
        return violations

    return check


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # The suite creates hundreds of users; PBKDF2 would spend most of its time hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- the grant domain's world, shared by the area packages (tests/<area>/) -------------------


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path) -> None:
    # Uploads and letters of a test go to a directory of their own, never into the tree.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    # Login failure counters (django-axes) and rate limits live in the cache: each test
    # starts with none, so one test's failed logins never lock out the next test's persona.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db: None) -> "World":
    """Programme, call, budgets and personas; with a checklist item, an assessment criterion
    and a committee of three, so that every case-work step can be taken."""
    from grants.models import AssessmentCriterion, ChecklistItem, Committee, CommitteeMember
    from tests.factories import build_world

    world = build_world()
    ChecklistItem.objects.create(programme=world.programme, code="deadline", name="Fristgerecht")
    AssessmentCriterion.objects.create(
        programme=world.programme, code="goals", name="Beitrag zu den Zielen", max_score=5
    )
    committee = Committee.objects.create(programme=world.programme, name="Arbeitsausschuss")
    for n, name in enumerate(["Frau Ahmadi", "Herr Berger", "Frau Çelik"]):
        CommitteeMember.objects.create(committee=committee, name=name, position=n)
    return world


@pytest.fixture
def app(world: "World") -> "Application":
    """A draft of the owner with every classification list of the programme chosen."""
    from tests.factories import draft

    application = draft(world)
    application.target_groups.set(world.programme.target_groups.all())
    application.fields_of_action.set(world.programme.fields_of_action.all())
    application.areas.set(world.programme.areas.all())
    return application


def pass_second_factor(client: Any, user: Any) -> None:
    """Marks ``client``'s session as having passed the second factor with a real device.

    What the TOTP step does after a correct code (``django_otp.login``), without typing one;
    the step itself is tested in tests/applicants/test_second_factor.py.
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test-App", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def current_code(device: Any) -> str:
    """The code a TOTP app shows right now for ``device``."""
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


class StaffClient(Client):
    """Django's test client whose logins of staff also pass the second factor.

    Tests of other behaviour log staff in with one call, as before; the tests of the second
    factor itself use a plain ``django.test.Client`` (fixture ``password_only_client``).
    """

    def force_login(self, user: Any, backend: str | None = None) -> None:
        from applicants.second_factor import needs_second_factor

        super().force_login(user, backend)
        if needs_second_factor(user):
            pass_second_factor(self, user)

    def login(self, **credentials: Any) -> bool:
        from django.contrib.auth import SESSION_KEY, get_user_model

        from applicants.second_factor import needs_second_factor

        # django-axes counts attempts per request, so authenticate() needs one.
        credentials.setdefault("request", RequestFactory().post("/anmelden/"))
        if not super().login(**credentials):
            return False
        user = get_user_model().objects.get(pk=self.session[SESSION_KEY])
        if needs_second_factor(user):
            pass_second_factor(self, user)
        return True


@pytest.fixture
def client() -> StaffClient:
    """pytest-django's ``client``, with staff logins that include the second factor."""
    return StaffClient()


@pytest.fixture
def admin_client(db: None, admin_user: Any) -> StaffClient:
    """pytest-django's ``admin_client``: a superuser logged in with both factors."""
    staff_client = StaffClient()
    staff_client.force_login(admin_user)
    return staff_client


@pytest.fixture
def password_only_client() -> Any:
    """A client whose staff logins stop after the password, as a real person's would."""
    from django.test import Client

    return Client()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """On PostgreSQL with DATABASE_APP_ROLE set (as in .ci/run), test bodies run as the app role.

    pytest-django creates and migrates the test database as the owner, as a deployment's
    migrate does; then ``grant_app_role`` gives the app role its row access, exactly as in
    production (docs/operations.md). From then on every connection of the tests, including
    those of threads and of the live server, starts as the app role: the connection option
    ``-c role=…`` sets the session's role before the first statement, so privileges and the
    append-only triggers judge the portal's queries as they would in production.

    Two things only the owner may do, and the suite needs them: emptying the tables after a
    transactional test (Django's flush is a TRUNCATE, which the app role must never have), and
    dropping the test database at the end. The flush therefore switches the connection back to
    the owner (``SET ROLE NONE``: the session user is the owner who connected) for its
    statements and returns to the app role at once, even when it fails. Nothing else in the
    suite leaves the app role; the backup test's ``pg_dump``/``CREATE DATABASE`` connect on their
    own as the operator would.
    """
    from django.core.management import call_command
    from django.db import connections

    role = os.environ.get("DATABASE_APP_ROLE", "")
    connection = connections["default"]
    if not role or connection.vendor != "postgresql":
        yield
        return
    quoted = connection.ops.quote_name(role)
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            # .ci/run creates the role; a developer's database may not have it yet.
            cursor.execute(
                f"DO $$ BEGIN CREATE ROLE {quoted} NOLOGIN; "
                "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
            )
        call_command("grant_app_role", role, verbosity=0)
    options = connection.settings_dict.setdefault("OPTIONS", {})
    options["options"] = f"-c role={role}"
    connection.close()
    # Patched on the class: a test that runs an event loop (Playwright's sync API) gets
    # connection objects of its own from Django, and their flush must switch to the owner too.
    operations = type(connection.ops)
    plain_flush = operations.execute_sql_flush

    def flush_as_owner(self: Any, sql_list: list[str]) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("SET ROLE NONE")
        try:
            plain_flush(self, sql_list)
        finally:
            with self.connection.cursor() as cursor:
                cursor.execute(f"SET ROLE {quoted}")

    operations.execute_sql_flush = flush_as_owner
    yield
    operations.execute_sql_flush = plain_flush
    del options["options"]
    connection.close()


@pytest.fixture(autouse=True)
def _mail_links_to_live_server(request):
    """Mail links are absolute (PORTAL_BASE_URL); in a browser test they must reach the test
    server, and passkeys must be bound to it, as config/settings.py derives them from it."""
    if "live_server" not in request.fixturenames:
        return
    settings = request.getfixturevalue("settings")
    url = request.getfixturevalue("live_server").url
    settings.PORTAL_BASE_URL = url
    settings.OTP_WEBAUTHN_RP_ID = urlsplit(url).hostname
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [url]


@pytest.fixture(autouse=True)
def _reference_data(request: pytest.FixtureRequest) -> None:
    """A transactional test earlier in the session flushed every table, the base rates of the
    data migrations included; tests marked for the database get them back (tests that reach the
    database through ``world`` get them from ``build_world``)."""
    database = next((f for f in ("db", "transactional_db") if f in request.fixturenames), None)
    if database is not None:
        request.getfixturevalue(database)
    elif request.node.get_closest_marker("django_db") is None:
        return
    from tests.factories import restore_reference_data

    restore_reference_data()
