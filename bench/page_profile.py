"""Where a page's time goes: SQL, template rendering and the rest of Python, for the pages of
the load benchmark, in one process against a database that ``bench/load.py`` filled.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fp_load .venv/bin/python bench/page_profile.py
    DATABASE_URL=... .venv/bin/python bench/page_profile.py --pages "queue, page 1" --top 30

Each page is requested with its persona's session (as ``bench/load.py`` does), warmed, then
requested ``--repeat`` times: the medians of the wall time, of the SQL (each query timed), of
the template rendering (``Template.render`` of the page's outermost template, which includes
the nested ones, less the SQL run inside it) and of this process's CPU time are printed; with
``--top`` a cProfile of those requests follows, sorted by the time spent in each function
itself. The CPU time changes least with what else runs on the machine: use it to compare code
before and after a change on the same data, and wrk (``bench/load.py``) for throughput.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import pages, personas, production_env, session_for, setup_django  # noqa: E402


class SqlClock:
    """Times every query of the default connection to the microsecond (Django's captured
    queries round to the millisecond, which hides a page's many sub-millisecond queries)."""

    def __init__(self) -> None:
        self.durations: list[float] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.durations.append(time.perf_counter() - started)


class RenderClock:
    """Adds up the time of the outermost template renders while it is installed, less the SQL
    that ran inside them (a lazy queryset evaluated by the template counts as SQL)."""

    def __init__(self, sql: SqlClock) -> None:
        from django.template.backends.django import Template

        self.sql = sql
        self.template_class = Template
        self.original = Template.render
        self.depth = 0
        self.seconds = 0.0

    def __enter__(self) -> RenderClock:
        clock = self
        original = self.original

        def render(template, context=None, request=None):
            clock.depth += 1
            started = time.perf_counter()
            first_query = len(clock.sql.durations)
            try:
                return original(template, context, request)
            finally:
                clock.depth -= 1
                if clock.depth == 0:
                    sql = sum(clock.sql.durations[first_query:])
                    clock.seconds += time.perf_counter() - started - sql

        self.template_class.render = render  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc) -> None:
        self.template_class.render = self.original  # type: ignore[method-assign]


def measure(client, path: str, repeat: int, profiler: cProfile.Profile | None) -> dict:
    from django.db import connection

    totals, cpus, sqls, renders = [], [], [], []
    status = size = queries = 0
    for _ in range(repeat):
        sql = SqlClock()
        with connection.execute_wrapper(sql), RenderClock(sql) as clock:
            started, cpu_started = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            response = client.get(path)
            if profiler:
                profiler.disable()
            totals.append((time.perf_counter() - started) * 1000)
            cpus.append((time.process_time() - cpu_started) * 1000)
        sqls.append(sum(sql.durations) * 1000)
        renders.append(clock.seconds * 1000)
        status, size, queries = response.status_code, len(response.content), len(sql.durations)
    return {
        "status": status,
        "kb": size / 1024,
        "queries": queries,
        "total": statistics.median(totals),
        "cpu": statistics.median(cpus),
        "sql": statistics.median(sqls),
        "render": statistics.median(renders),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default="", help="page names separated by semicolons")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--top", type=int, default=0, help="print a cProfile of N functions")
    parser.add_argument("--callers", default="", help="with --top: who calls functions matching")
    parser.add_argument("--sort", default="tottime", help="with --top: tottime or cumtime")
    parser.add_argument("--only", default="", help="with --top: functions matching (a regex)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="fp-profile-"))
    setup_django(production_env(workdir, 0, 1))

    from django.core.management import call_command
    from django.test import Client

    call_command("collectstatic", "--no-input", verbosity=0)  # the manifest the pages name
    selected = {name.strip() for name in args.pages.split(";") if name.strip()}
    print(
        "| page | KB | queries | total ms | SQL ms | rendering ms | other Python ms | CPU ms |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|"
    )
    for name, path, user in pages(personas()):
        if selected and name not in selected:
            continue
        client = Client(HTTP_HOST="127.0.0.1")
        if user is not None:
            client.cookies["sessionid"] = session_for(user)
        for _ in range(3):
            client.get(path)  # warm: the session's and the site's one-off reads
        profiler = cProfile.Profile() if args.top else None
        m = measure(client, path, args.repeat, profiler)
        other = m["total"] - m["render"] - m["sql"]
        print(
            f"| {name} | {m['kb']:.0f} | {m['queries']} | {m['total']:.1f} | {m['sql']:.1f} | "
            f"{m['render']:.1f} | {other:.1f} | {m['cpu']:.1f} |"
            + ("" if m["status"] == 200 else f" status {m['status']}"),
            flush=True,
        )
        if profiler:
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out).sort_stats(args.sort)
            stats.print_stats(*([args.only] if args.only else []), args.top)
            if args.callers:
                stats.print_callers(args.callers)
            print(out.getvalue(), flush=True)
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
