"""Board reports benchmark (not a test): prints render time, page count and peak memory.

    DATABASE_URL=postgres://... .venv/bin/python bench/reports_bench.py [--sizes 10,100,500,1000]

1. A highlight report of the Cymorth-like programme with the Leeds 36-task timetable (v10) in its appendix.
2. The Commissioning Body's pack for rounds of 10, 100 and 500 bids (when growth bids are installed).

Each document's snapshot is built in this process (timed: the database reads), then rendered to PDF in a
forked child so that the child's peak resident memory is the render's own. Everything written to the
database is rolled back at the end. WeasyPrint takes about 0.2 s a page on these machines; the target is
no more than that per page.

A pack of more than REPORT_PART_BIDS bids (100) is rendered a part at a time and joined with pypdf, so the
child's peak memory stays that of one part: compare the peak RSS of 500 and 1,000 bids with that of 100.
Measured 2 December 2026 on the shared 2-core machine (load from 7 other sessions), 1,000 bids in 11 parts:
snapshot 13.5 s; render 1,100 s for 1,121 pages (0.98 s/page; 100 bids in one go: 63 s, 115 pages, 0.55 s/page);
peak RSS of the rendering process 732 MB, reached in the first part (cover, ranking and criteria matrix of
1,000 rows each, 267 s); the ten parts of bids after it did not raise it. Before the first part took fewer
bids: 1,203 s and 921 MB. Stamping "Page n of N" on 1,121 pages adds about 25 s and 110 MB (below the peak).
"""

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from commissioning.reports.pdf import render_report_pdf  # noqa: E402
from commissioning.reports.snapshot import build_snapshot  # noqa: E402


class Rollback(Exception):
    pass


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def render_in_child(snapshot):
    """Render in a forked process; return (seconds, pages, bytes, peak RSS MB of the child)."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: no database, only the snapshot
        os.close(read_fd)
        start = time.perf_counter()

        def progress(done, total):
            # A pack in parts: each part's time and the peak memory so far (one line per part, to stderr).
            if total > 1:
                peak_so_far = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                print(
                    f"    part {done} of {total}: {time.perf_counter() - start:7.1f} s, peak RSS {peak_so_far:5.0f} MB",
                    file=sys.stderr,
                    flush=True,
                )

        pdf, pages = render_report_pdf(snapshot, progress=progress)
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        os.write(write_fd, json.dumps([seconds, pages, len(pdf), peak]).encode())
        os._exit(0)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        result = json.loads(pipe.read() or "null")
    os.waitpid(pid, 0)
    if result is None:
        raise RuntimeError("the render process failed")
    return result


def measure(label, report, edition="internal"):
    start = time.perf_counter()
    snapshot = build_snapshot(report, edition)
    snap_seconds = time.perf_counter() - start
    seconds, pages, size, peak = render_in_child(snapshot)
    per_page = seconds / pages if pages else 0
    verdict = "ok" if per_page <= 0.2 else "SLOWER than 0.2 s/page"
    print(
        f"{label:<44} snapshot {snap_seconds:6.2f} s | render {seconds:6.2f} s | {pages:4d} pages | "
        f"{per_page:5.3f} s/page ({verdict}) | {size / 1024:7.0f} KB | peak RSS {peak:6.0f} MB"
    )
    return seconds, pages


def highlight_with_leeds(user):
    from tests.commissioning.report_factories import cymorth, highlight_report, leeds_project

    project = leeds_project()
    report = highlight_report(programme=cymorth(), user=user)
    report.projects.set([project])
    tasks = project.timetables.get(is_current=True).tasks.count()
    return report, tasks


def body_pack(user, n, year):
    """A round of n submitted, evaluated bids and its pack; None when growth bids are not installed."""
    try:
        from tests.commissioning.report_factories import body_pack_report
    except ImportError:
        return None
    return body_pack_report(n_bids=n, user=user, year=year)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10,100,500")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    from django.contrib.auth.models import Group

    from core_groups import roles
    from tests.factories import UserFactory

    print(f"Parent process before rendering: peak RSS {rss_mb():.0f} MB")
    try:
        with transaction.atomic():
            for name in roles.ALL_ROLES:
                Group.objects.get_or_create(name=name)
            user = UserFactory(username="bench-evaluator", roles=[roles.PROGRAMME_TEAM])
            report, tasks = highlight_with_leeds(user)
            measure(f"Highlight report, {tasks}-task timetable", report)
            measure(f"Highlight report, {tasks}-task timetable (public)", report, "public")
            timings = []
            for i, n in enumerate(sizes):
                pack = body_pack(user, n, 2040 + i)
                if pack is None:
                    print("Body pack: growth bids are not installed here; skipped.")
                    break
                seconds, pages = measure(f"Body pack, {n} bids", pack)
                timings.append((n, seconds, pages))
            if len(timings) > 1:
                base_n, base_s, _ = timings[0]
                print("Growth of render time with the number of bids:")
                for n, seconds, pages in timings:
                    growth = f"x{seconds / base_s:5.1f} time for x{n / base_n:4.0f} bids"
                    print(f"  {n:4d} bids: {seconds:6.2f} s, {pages} pages, {growth}")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
