import json
import logging

import pytest
from django.test import RequestFactory

from operations.middleware import TrustedProxyMiddleware
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def proxy(settings):
    import ipaddress

    settings.TRUSTED_PROXY_NETWORKS = [ipaddress.ip_network("10.0.0.0/24")]


def seen_meta(request) -> dict:
    seen = {}

    def view(req):
        seen.update(req.META)
        return None

    TrustedProxyMiddleware(view)(request)
    return seen


def test_forwarded_headers_from_an_untrusted_address_are_dropped(proxy):
    request = RequestFactory().get(
        "/",
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_X_FORWARDED_HOST="evil.example",
        HTTP_X_FORWARDED_FOR="1.2.3.4",
    )
    meta = seen_meta(request)
    assert "HTTP_X_FORWARDED_PROTO" not in meta
    assert "HTTP_X_FORWARDED_HOST" not in meta
    assert meta["REMOTE_ADDR"] == "203.0.113.9"


def test_the_trusted_proxy_names_the_client_and_the_scheme(proxy):
    request = RequestFactory().get(
        "/",
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_PROTO="https",
        # The client wrote the first address itself; the proxy appended the real one.
        HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7",
    )
    meta = seen_meta(request)
    assert meta["HTTP_X_FORWARDED_PROTO"] == "https"
    assert meta["REMOTE_ADDR"] == "198.51.100.7"


def test_behind_the_proxy_django_sees_https(client, proxy, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    trusted = client.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_PROTO="https")
    assert trusted.status_code == 200
    forged = client.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https")
    assert forged.status_code == 301
    assert forged["Location"].startswith("https://")


def test_each_request_logs_one_line_with_ids_duration_and_queries(client, caplog, proxy):
    user = UserFactory(email="erika@example.org", first_name="Erika", last_name="Muster")
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="foerderportal.request"):
        response = client.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_REQUEST_ID="proxy-req-0001")
    lines = [r for r in caplog.records if r.name == "foerderportal.request"]
    assert len(lines) == 1
    line = lines[0]
    assert line.request_id == "proxy-req-0001" == response["X-Request-ID"]
    assert line.user_id == user.pk
    assert line.status == 200
    assert line.route == ""
    assert line.queries >= 1
    assert line.duration_ms > 0


def test_a_request_id_is_taken_only_from_the_proxy_and_only_in_a_safe_shape(client, proxy):
    forged = client.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_REQUEST_ID='x" level=ERROR')
    assert len(forged["X-Request-ID"]) == 32
    untrusted = client.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_REQUEST_ID="proxy-req-0003")
    assert untrusted["X-Request-ID"] != "proxy-req-0003"


def test_json_lines_carry_the_context_but_no_names_or_addresses(client, settings, capsys, proxy):
    from logging.config import dictConfig

    logging_config = {**settings.LOGGING}
    logging_config["handlers"] = {
        "console": {**settings.LOGGING["handlers"]["console"], "formatter": "json"}
    }
    dictConfig(logging_config)
    try:
        user = UserFactory(email="erika@example.org", first_name="Erika", last_name="Muster")
        client.force_login(user)
        client.get("/antraege/", REMOTE_ADDR="10.0.0.2", HTTP_X_REQUEST_ID="proxy-req-0002")
        lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    finally:
        dictConfig(settings.LOGGING)
    request_lines = [line for line in lines if line["logger"] == "foerderportal.request"]
    assert request_lines, lines
    assert request_lines[-1]["request_id"] == "proxy-req-0002"
    assert request_lines[-1]["user_id"] == user.pk
    assert request_lines[-1]["level"] == "INFO"
    everything = json.dumps(lines)
    assert "erika@example.org" not in everything
    assert "Muster" not in everything


def test_each_lifecycle_step_logs_one_line_with_ids_only(world, caplog):
    from grants.services.applications import application_submit
    from tests.factories import draft

    app = draft(world)
    with caplog.at_level(logging.INFO, logger="foerderportal.steps"):
        application_submit(application=app, actor=world.owner)
    [line] = [r for r in caplog.records if r.name == "foerderportal.steps"]
    assert (line.lifecycle, line.transition, line.source, line.target) == (
        "application",
        "submit",
        "draft",
        "submitted",
    )
    assert (line.application_id, line.actor_id) == (app.pk, world.owner.pk)
    assert world.owner.email not in str(vars(line))
