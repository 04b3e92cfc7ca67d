"""Load benchmark: N applications in PostgreSQL, the app under gunicorn with production settings,
the pages driven by wrk; or the deadline rush.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fp_load .venv/bin/python bench/load.py --applications 10000
    DATABASE_URL=... .venv/bin/python bench/load.py --applications 100000 --keep   # reuse the filled database
    DATABASE_URL=... .venv/bin/python bench/load.py --mode rush --applicants 200

Pages mode: (re)creates the database DATABASE_URL names, migrates, makes two programmes with
their staff (tests/factories.py) and fills N applications (bench/fill.py, bulk inserts), then
starts ``gunicorn -c config/gunicorn.py config.wsgi`` with DJANGO_ENV=production (DEBUG off,
Redis cache, whitenoise, 2 workers) and, per page, runs wrk (2 threads, 4 connections, a
warm-up, then the measured run) with the session cookie of the persona the page is for. For
each page it prints req/s, p50/p95/p99 latency, bytes per response, and, from one warm request
in this process against the same database, the number of queries, the SQL time and the total
time. The first line is the ceiling: a page that touches no database, on the same server in
the same run.

Rush mode: 200 applicants (own accounts and drafts, made beforehand), each in its own thread
with its own database connection, save their plan, upload an attachment and submit through
the services, within the same minutes against one call. Prints completed submissions per
second, p95 of each step, errors, and checks that file numbers are unique and gap-free and that
every submission has its mail in the outbox. (It drives the services, not HTTP: the pages'
own cost is what pages mode measures.)

wrk is the Debian package: installed here with apt-get when missing (as root), as in
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable

WRK_LUA = r"""
done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "non2xx": %d, "errors": %d, ' ..
    '"p50": %.3f, "p95": %.3f, "p99": %.3f}\n',
    summary.requests, summary.duration, summary.bytes, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["pages", "rush"], default="pages")
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true", help="reuse a filled database")
    parser.add_argument("--warmup", type=int, default=5, help="seconds")
    parser.add_argument("--duration", type=int, default=30, help="seconds")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8107)
    parser.add_argument(
        "--pages", default="", help="page names separated by semicolons (default all)"
    )
    parser.add_argument("--applicants", type=int, default=200, help="rush mode")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def ensure_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    if os.geteuid() == 0:
        print("wrk is missing: apt-get install -y wrk", flush=True)
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=False, capture_output=True)
        if not shutil.which("wrk"):
            subprocess.run(["apt-get", "update"], check=False, capture_output=True)
            subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, capture_output=True)
        return shutil.which("wrk") or "wrk"
    sys.exit("wrk is missing: sudo apt-get install -y wrk")


def production_env(workdir: Path, port: int, workers: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_ENV": "production",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": "bench-" + "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            # No TLS in front of the bench server: no redirect to https.
            "SECURE_SSL_REDIRECT": "false",
            "REDIS_URL": env.get("REDIS_URL", "redis://127.0.0.1:6379/14"),
            "CACHE_KEY_PREFIX": "bench-load",
            "DATABASE_CONN_MAX_AGE": env.get("DATABASE_CONN_MAX_AGE", "60"),
            "STATIC_ROOT": str(workdir / "static"),
            # Beside the database it belongs to, so that --keep finds the attachments.
            "PRIVATE_MEDIA_ROOT": env.get(
                "PRIVATE_MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "fp-load-private")
            ),
            "PORT": str(port),
            "WEB_CONCURRENCY": str(workers),
            "LOG_LEVEL": "WARNING",
            # Production refuses to start without a mail provider and webhook secret; the bench
            # sends no mail (rush mode checks the outbox rows, the worker does not run).
            "EMAIL_BACKEND": "anymail.backends.postmark.EmailBackend",
            "ANYMAIL_POSTMARK_SERVER_TOKEN": "bench",
            "WEBHOOK_SECRET": "bench:bench",
            "TRUSTED_PROXIES": "127.0.0.1",
        }
    )
    return env


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def recreate_database() -> None:
    """Drops and creates the database DATABASE_URL names (PostgreSQL only)."""
    import psycopg

    url = urlparse(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def build(args: argparse.Namespace) -> None:
    from django.core.management import call_command

    from bench.fill import fill
    from grants.models import Application, StaffRole
    from tests.factories import build_world

    if args.keep:
        try:
            if Application.objects.count() >= args.applications:
                call_command("migrate", verbosity=0)  # the code may have moved on
                print(f"reusing {Application.objects.count()} applications", flush=True)
                return
        except Exception:
            pass
    recreate_database()
    from django.db import connections

    connections.close_all()
    call_command("migrate", verbosity=0)
    first, second = build_world(), build_world()
    # One case worker with both programmes, as when a funder pools them.
    StaffRole.objects.create(
        user=first.case_worker, programme=second.programme, role=StaffRole.Role.CASE_WORKER
    )
    StaffRole.objects.create(
        user=first.finance, programme=second.programme, role=StaffRole.Role.FINANCE
    )
    started = time.monotonic()
    counts = fill(args.applications, programmes=[first.programme, second.programme], seed=args.seed)
    print(
        f"filled {args.applications} applications, {counts.applicants} applicants in "
        f"{time.monotonic() - started:.0f} s",
        flush=True,
    )


def personas() -> dict[str, object]:
    from django.db.models import Count

    from applicants.models import Membership, User
    from grants.models import Application, StaffRole

    both = (
        User.objects.annotate(n=Count("staff_roles"))
        .filter(staff_roles__role=StaffRole.Role.CASE_WORKER, n__gt=1)
        .order_by("pk")
        .first()
    )
    one = (
        User.objects.filter(staff_roles__role=StaffRole.Role.CASE_WORKER)
        .annotate(n=Count("staff_roles"))
        .filter(n=1)
        .exclude(staff_roles__programme__isnull=True)
        .order_by("pk")
        .first()
    )
    finance = (
        User.objects.filter(staff_roles__role=StaffRole.Role.FINANCE)
        .annotate(n=Count("staff_roles"))
        .order_by("-n", "pk")
        .first()
    )
    # An applicant of typical size: four applications, one running.
    membership = (
        Membership.objects.filter(
            user__email__endswith="@bench.example",
            applicant__applications__state="running",
        )
        .order_by("pk")
        .first()
    )
    app = Application.objects.filter(applicant=membership.applicant).order_by("pk").first()
    case = (
        Application.objects.filter(state="running", programme__staff_roles__user=one)
        .order_by("pk")
        .first()
    )
    return {
        "one": one,
        "both": both,
        "finance": finance,
        "owner": membership.user,
        "own_app": app,
        "case": case,
    }


def session_for(user) -> str:
    """A logged-in session as the login leaves it (staff: second factor passed)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if user.staff_roles.exists() or user.is_staff:
        device, _ = StaticDevice.objects.get_or_create(user=user, name="bench")
        store["otp_device_id"] = device.persistent_id
        store["staff_session_started"] = time.time()
        store["staff_session_seen"] = time.time()
    store.create()
    return store.session_key


def pages(p: dict) -> list[tuple[str, str, object]]:
    """(name, path, persona) in the order of the issue's table."""
    base = "/sachbearbeitung/antraege/"
    return [
        ("ceiling (no database)", "/barrierefreiheit/", None),
        ("queue, page 1", base, p["one"]),
        # A word in a quarter of all titles and names (the fill's vocabulary is 20 words), an
        # applicant's own number, and a file number: what a case worker types most.
        ("queue, search", base + "?q=Garten", p["one"]),
        ("queue, search for a name", base + "?q=" + p["case"].applicant.name.split()[-3], p["one"]),
        ("queue, search for a file number", base + "?q=" + p["case"].file_number, p["one"]),
        ("queue, state filter", base + "?state=in_review", p["one"]),
        ("queue, page 50", base + "?seite=50", p["one"]),
        ("queue, my cases", base + "?assigned=me", p["one"]),
        ("queue, both programmes", base, p["both"]),
        ("application file", f"{base}{p['case'].pk}/", p["one"]),
        ("applicant dashboard", "/antraege/", p["owner"]),
        ("applicant application", f"/antraege/{p['own_app'].pk}/", p["owner"]),
        ("finance overview", "/finanzen/", p["finance"]),
        ("payout list", "/finanzen/auszahlungen/", p["finance"]),
        ("budget report", "/finanzen/berichte/", p["finance"]),
    ]


def one_request(path: str, cookie: str | None) -> dict:
    """Queries, SQL time and total time of one warm request, in this process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if cookie:
        client.cookies["sessionid"] = cookie
    client.get(path)  # warm
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    total = (time.perf_counter() - started) * 1000
    sql = sum(float(q["time"]) for q in queries.captured_queries) * 1000
    return {
        "status": response.status_code,
        "queries": len(queries.captured_queries),
        "sql_ms": sql,
        "total_ms": total,
        "bytes": len(response.content),
    }


def run_wrk(wrk: str, url: str, cookie: str | None, args, script: Path) -> dict:
    headers = ["-H", f"Cookie: sessionid={cookie}"] if cookie else []
    # wrk counts a response slower than its timeout (default 2 s) as an error, not a latency.
    common = [
        wrk,
        f"-t{args.threads}",
        f"-c{args.connections}",
        "--timeout",
        "10s",
        "-s",
        str(script),
        *headers,
    ]
    subprocess.run([*common, f"-d{args.warmup}s", url], capture_output=True, check=True)
    out = subprocess.run(
        [*common, f"-d{args.duration}s", url], capture_output=True, check=True, text=True
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("{"))
    figures = json.loads(line)
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    return figures


def start_server(env: dict[str, str], port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=ROOT,
        env={**env, "PORT": str(port)},
        start_new_session=True,
    )
    import urllib.request

    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/barrierefreiheit/", timeout=2)
            return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("gunicorn did not start")


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def pages_mode(args, env: dict[str, str], workdir: Path) -> None:
    from django.core.management import call_command

    from grants.models import Application

    wrk = ensure_wrk()
    build(args)
    call_command("collectstatic", "--no-input", verbosity=0)
    p = personas()
    cookies = {}
    selected = {name.strip() for name in args.pages.split(";") if name.strip()}
    script = workdir / "report.lua"
    script.write_text(WRK_LUA)
    server = start_server(env, args.port)
    n = Application.objects.count()
    print(
        f"\n{n} applications; gunicorn {args.workers} sync workers; wrk -t{args.threads} "
        f"-c{args.connections}, {args.warmup} s warm-up, {args.duration} s measured\n"
    )
    print(
        "| page | req/s | p50 ms | p95 ms | p99 ms | KB | queries | SQL ms | one request ms |"
        " non-2xx |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        flush=True,
    )
    try:
        for name, path, user in pages(p):
            if selected and name not in selected and not name.startswith("ceiling"):
                continue
            cookie = None
            if user is not None:
                cookies.setdefault(user.pk, session_for(user))
                cookie = cookies[user.pk]
            one = one_request(path, cookie)
            load = run_wrk(wrk, f"http://127.0.0.1:{args.port}{path}", cookie, args, script)
            print(
                f"| {name} | {load['rps']:.1f} | {load['p50']:.0f} | {load['p95']:.0f} | "
                f"{load['p99']:.0f} | {one['bytes'] / 1024:.0f} | {one['queries']} | "
                f"{one['sql_ms']:.1f} | {one['total_ms']:.1f} | "
                f"{load['non2xx'] + load['errors']}{'' if one['status'] == 200 else ' (' + str(one['status']) + ')'} |",
                flush=True,
            )
    finally:
        stop_server(server)


def main() -> None:
    args = parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database (it is dropped and re-created)")
    workdir = Path(tempfile.mkdtemp(prefix="fp-load-"))
    env = production_env(workdir, args.port, args.workers)
    setup_django(env)
    if args.mode == "pages":
        pages_mode(args, env, workdir)
    else:
        from bench.rush import rush_mode

        rush_mode(args)
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
