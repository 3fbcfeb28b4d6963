"""Where a page's time goes: in-process medians, query counts and, on request, a cProfile of the bench's pages.

    python bench/profile_pages.py [WORD ...]                       every page of bench/run.py (or those whose
                                                                    label contains a WORD), plus the trivial view
    PROFILE=1 python bench/profile_pages.py "Project page"          and a cProfile of 30 requests, top 60 by
                                                                    cumulative time, saved to /tmp/prof_<page>.prof
    QUERIES=1 ...                                                   and each query with its time
    EXPLAIN=20 ...                                                  and, for each query over 20 ms, its whole SQL
                                                                    and EXPLAIN ANALYZE
    CALLS=1 ...                                                     and Python function calls a request
    JSON=/tmp/figures.json ...                                      and each page's median and queries written
                                                                    there (bench/run.py's growth pairs)

It reads the bench database (BENCH_DATABASE_URL, seeded by bench/run.py) with the bench's settings (DEBUG off) and
persona, as bench/run.py's in-process figures do. The trivial view is asked as the admin (signed in), so its
figure is the fixed cost of a signed-in request: session, user, partnership, middleware. N (50) requests a page.
Every request is a first look (PAGE_CACHE=0: nothing kept, foundation/page_cache.py) unless PAGE_CACHE=1 is set.
Figures under load are noisy: compare two trees in turns (issue 17 did, with CPU time beside wall time).
"""

import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PAGE_CACHE", "0")  # where a page's own time goes, not the cache's

from bench import run  # noqa: E402  (sets the bench's environment before Django starts)


def main() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    n = int(os.environ.get("N", "50"))
    wanted = [w.lower() for w in sys.argv[1:]]
    figures: dict[str, dict[str, float]] = {}
    pages = [("Trivial view (signed in)", None, None, "admin"), *run.PAGES]
    for label, names, model, persona in pages:
        if wanted and not any(w in label.lower() for w in wanted):
            continue
        if names is None:
            url = "/bench/trivial"
        else:
            url, why = run.resolve(names, model)
            if url is None:
                print(f"{label}: skipped ({why})")
                continue
        client = Client()
        client.force_login(run.user(persona))
        for _ in range(5):
            response = client.get(url)
        if response.status_code != 200:
            print(f"{label}: status {response.status_code}")
            continue
        queries: list[tuple[float, str, object]] = []

        def timed(execute, sql, params, many, context, queries=queries):
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append(((time.perf_counter() - start) * 1000, sql, params))

        with connection.execute_wrapper(timed):
            client.get(url)
        wall, cpu = [], []
        for _ in range(n):
            start, start_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            cpu.append((time.process_time() - start_cpu) * 1000)
            wall.append((time.perf_counter() - start) * 1000)
        print(
            f"{label[:45]:<45} queries {len(queries):>3}  median {statistics.median(wall):6.1f} ms  "
            f"cpu {statistics.median(cpu):6.1f} ms  min {min(wall):6.1f} ms",
            flush=True,
        )
        figures[label] = {"median_ms": round(statistics.median(wall), 2), "queries": len(queries)}
        if os.environ.get("QUERIES"):
            for ms, sql, _params in queries:
                print(f"    {ms:6.1f} {sql[:160]}")
        if os.environ.get("EXPLAIN"):
            for ms, sql, params in queries:
                if ms < float(os.environ["EXPLAIN"]) or not sql.lstrip().upper().startswith(("SELECT", "(SELECT")):
                    continue
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN ANALYZE " + sql, params)
                    plan = "\n      ".join(row[0] for row in cursor.fetchall())
                print(f"    {ms:6.1f} ms\n      {sql}\n      {plan}")
        if os.environ.get("CALLS") or os.environ.get("PROFILE"):
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(30):
                client.get(url)
            profile.disable()
            stats = pstats.Stats(profile)
            print(f"    {stats.total_calls // 30:,} Python calls a request")
            if os.environ.get("PROFILE"):
                name = "".join(c if c.isalnum() else "_" for c in label.lower())[:40]
                stats.dump_stats(f"/tmp/prof_{name}.prof")
                stats.sort_stats("cumulative").print_stats(60)
    if os.environ.get("JSON"):
        Path(os.environ["JSON"]).write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
