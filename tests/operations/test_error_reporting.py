import json

from tests.test_settings import run_manage

PROBE = (
    "import json, sentry_sdk; c = sentry_sdk.get_client(); "
    "print(json.dumps({'active': c.is_active(), 'pii': c.options['send_default_pii'], "
    "'environment': c.options['environment']}))"
)


def test_sentry_is_off_without_a_dsn():
    result = run_manage("shell", "-c", PROBE, SENTRY_DSN="")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1])["active"] is False


def test_sentry_is_on_with_a_dsn_and_sends_no_personal_data():
    result = run_manage(
        "shell", "-c", PROBE, SENTRY_DSN="https://key@127.0.0.1/1", SENTRY_ENVIRONMENT="staging"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "active": True,
        "pii": False,
        "environment": "staging",
    }
