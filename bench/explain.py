"""The database's own work per page of the load benchmark: every query one request of the page
runs, with PostgreSQL's EXPLAIN ANALYZE (execution time, buffers, the plan's top node).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fp_load .venv/bin/python bench/explain.py
    DATABASE_URL=... .venv/bin/python bench/explain.py --pages "queue, search;finance overview"

Runs against a database that ``bench/load.py`` filled (it neither fills nor migrates). Each
page is requested once in this process with the persona's session (as ``bench/load.py``
does), its queries are captured, and each SELECT is explained three times; the fastest of
the three is printed, since the machine's load only ever adds time. Unlike wrk's figures,
these hardly depend on what else runs on the machine, so they compare code before and after
a change on the same data.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import pages, personas, production_env, session_for, setup_django  # noqa: E402


def explain(sql: str) -> tuple[float, int, str]:
    """Fastest of three: execution ms, shared buffers touched, the plan's first nodes."""
    from django.db import connection

    best = None
    with connection.cursor() as cursor:
        for _ in range(3):
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            plan = plan if isinstance(plan, list) else json.loads(plan)
            top = plan[0]["Plan"]
            ms = plan[0]["Execution Time"]
            buffers = top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0)
            if best is None or ms < best[0]:
                best = (ms, buffers, _nodes(top))
    assert best is not None
    return best


def _nodes(node: dict, depth: int = 0) -> str:
    """Node types with their indexes, depth first, to tell an index walk from a scan."""
    name = node["Node Type"]
    if "Index Name" in node:
        name += f" {node['Index Name']}"
    elif "Relation Name" in node:
        name += f" {node['Relation Name']}"
    children = [_nodes(child, depth + 1) for child in node.get("Plans", [])]
    return name + (f" ({'; '.join(children)})" if children else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pages", default="", help="page names separated by semicolons (default all)"
    )
    parser.add_argument("--slower-than", type=float, default=0.5, help="ms; hide faster queries")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="fp-explain-"))
    setup_django(production_env(workdir, 0, 1))

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("collectstatic", "--no-input", verbosity=0)  # the manifest the pages name
    selected = {name.strip() for name in args.pages.split(";") if name.strip()}
    p = personas()
    for name, path, user in pages(p):
        if user is None or (selected and name not in selected):
            continue
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies["sessionid"] = session_for(user)
        client.get(path)  # warm: the session's and the site's one-off reads
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path).status_code
        total = 0.0
        lines = []
        for query in queries.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            ms, buffers, plan = explain(sql)
            total += ms
            if ms >= args.slower_than:
                lines.append(f"    {ms:8.2f} ms {buffers:7d} buffers  {plan[:160]}")
        print(f"{name} ({path}, {status}): {len(queries.captured_queries)} queries, {total:.1f} ms")
        print("\n".join(lines), flush=True)
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
