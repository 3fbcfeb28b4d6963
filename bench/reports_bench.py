"""Board reports benchmark (not a test): prints render time, page count and peak memory.

    DATABASE_URL=postgres://... .venv/bin/python bench/reports_bench.py [--sizes 10,100,500,1000]

1. A highlight report of the Cymorth-like programme with the Leeds 36-task timetable (v10) in its appendix.
2. The Commissioning Body's pack for rounds of 10, 100 and 500 bids (when growth bids are installed).

Each document's snapshot is built in this process (timed: the database reads), then rendered to PDF in a
forked child so that the child's peak resident memory is the render's own. Everything written to the
database is rolled back at the end. WeasyPrint takes about 0.2 s a page on these machines; the target is
no more than that per page.

A pack of more than REPORT_PART_BIDS bids (100) is rendered in parts of about that many bids' worth of pages (the
ranking and matrix rows count an eighth of a bid each), REPORT_RENDER_PROCESSES (2) forked processes at a time, and
the parts joined with pypdf. "peak RSS" is the largest of the render's processes; "all processes" the largest sum of
the proportional set sizes (PSS: shared pages counted once) of the render process and its children, sampled every
0.2 s: the memory the worker needs. "cpu" is the processor time of all of them (less sensitive to load than time).
The goal (issue 17): a pack of 1,000 bids in under 120 s and 500 MB.

Measured 2 December 2026 on the shared 2-core machine, 1,000 bids (1,121 pages):
- before (11 parts in one process, load ~4-5 from other sessions): 714 s, peak RSS 771 MB (the first part, cover,
  ranking and matrix of 1,000 rows each and one bid, took 150 s and 728 MB; a bid part 30-90 s).
- after (26 parts of about 50 bids' weight, 2 processes): 158-301 s for 1,122 pages by the load (cpu 247-311 s; at
  load ~2.4 170 s, at ~4.5 301 s), largest process 256 MB, all processes together 470-473 MB, 6 MB of PDF.
  100 bids: 30 s (cpu 28-31 s), 115 pages, all processes 420 MB (one render of 100 bids: 387 MB in one process).
  The time goal needs about 250 s of processor time spread over more than two free cores (REPORT_RENDER_PROCESSES:
  each process adds about 140 MB); WeasyPrint takes 0.17 s of processor a bid page and 0.4 s a page of the ranking.
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


GOAL_BIDS, GOAL_SECONDS, GOAL_MB = 1000, 120, 500


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _tree(pid):
    """pid and its descendants (Linux /proc)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo.extend(int(x) for x in f.read().split())
        except OSError:
            pass
    return found


def _pss_kb(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeMemory:
    """The largest sum of PSS over a process and its children, sampled every 0.2 s in a thread."""

    def __init__(self, pid):
        import threading

        self.pid, self.peak_kb, self.stop = pid, 0, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop.wait(0.2):
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(p) for p in _tree(self.pid)))

    def done(self):
        self.stop.set()
        self.thread.join()
        return self.peak_kb / 1024


def render_in_child(snapshot):
    """Render in a forked process; return (seconds, pages, bytes, peak RSS MB of the largest process, peak PSS MB
    of all the render's processes together, processor seconds of them all)."""
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
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        peak = max(own.ru_maxrss, children.ru_maxrss) / 1024
        cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
        os.write(write_fd, json.dumps([seconds, pages, len(pdf), peak, cpu]).encode())
        os._exit(0)
    os.close(write_fd)
    memory = TreeMemory(pid)
    with os.fdopen(read_fd) as pipe:
        result = json.loads(pipe.read() or "null")
    os.waitpid(pid, 0)
    tree_mb = memory.done()
    if result is None:
        raise RuntimeError("the render process failed")
    seconds, pages, size, peak, cpu = result
    return seconds, pages, size, peak, tree_mb, cpu


def measure(label, report, edition="internal"):
    start = time.perf_counter()
    snapshot = build_snapshot(report, edition)
    snap_seconds = time.perf_counter() - start
    seconds, pages, size, peak, tree_mb, cpu = render_in_child(snapshot)
    per_page = seconds / pages if pages else 0
    verdict = "ok" if per_page <= 0.2 else "SLOWER than 0.2 s/page"
    print(
        f"{label:<44} snapshot {snap_seconds:6.2f} s | render {seconds:6.2f} s (cpu {cpu:6.1f} s) | {pages:4d} pages | "
        f"{per_page:5.3f} s/page ({verdict}) | {size / 1024:7.0f} KB | peak RSS {peak:6.0f} MB, "
        f"all processes {tree_mb:6.0f} MB | load {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    return seconds, pages, max(peak, tree_mb)


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
                seconds, pages, peak = measure(f"Body pack, {n} bids", pack)
                timings.append((n, seconds, pages))
                if n == GOAL_BIDS:
                    met = seconds < GOAL_SECONDS and peak < GOAL_MB
                    print(
                        f"Body pack goal: {GOAL_BIDS:,} bids < {GOAL_SECONDS} s, < {GOAL_MB} MB | "
                        f"measured {seconds:.0f} s, {peak:.0f} MB | {'ok' if met else 'NOT MET'}",
                        flush=True,
                    )
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
