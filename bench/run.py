"""`make bench`: seed a PostgreSQL database with realistic volumes and measure the product's pages.

For each page: the query count, the median and 95th-percentile latency over 200 requests (Django's
test Client, in-process), and the throughput under wrk (16 connections, loopback only, bounded in
time) against gunicorn, next to a trivial Django view's throughput in the same run (the ceiling).
Then the reminder sweep and PDF render times, where those exist. The same figures go to
bench/results/latest.json.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/commissioning_bench),
BENCH_REQUESTS (200), BENCH_WRK_SECONDS (5), BENCH_WRK_CONNECTIONS (16), BENCH_WORKERS (gunicorn, 2).
Goals (figures, not assertions): query counts flat in the data size, every page at 1/10 or more of
the trivial view's throughput, no page above 100 ms median.
"""

import importlib
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import warnings
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "latest.json"

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/commissioning_bench")
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "5"))
WRK_CONNECTIONS = int(os.environ.get("BENCH_WRK_CONNECTIONS", "16"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))

# Production-like: DEBUG off, but plain http on loopback. The outbox's nudges go to an in-memory broker that
# no worker reads: the bench times queuing an email or a render, not sending it.
os.environ.update(
    DATABASE_URL=DATABASE_URL,
    DJANGO_SETTINGS_MODULE="bench.settings",
    DEBUG="0",
    SECRET_KEY="bench-only-secret-key-not-for-production-0123456789abcdefghijklmnop",
    ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
    SECURE_SSL_REDIRECT="0",
    SESSION_COOKIE_SECURE="0",
    CSRF_COOKIE_SECURE="0",
    SECURE_HSTS_SECONDS="0",
    SECURE_HSTS_PRELOAD="0",
    STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
    CELERY_BROKER_URL="memory://",
    CONN_MAX_AGE="60",
    LOG_LEVEL="WARNING",
    PYTHONWARNINGS="ignore:No directory at",
)

# The pages to measure: label, URL names to try (the first that exists wins), how to find the kwargs,
# and who asks. A page whose app has not landed is skipped with a note; add names here as views land.
PAGES = [
    ("Home dashboard", ["home"], None, "admin"),
    ("Body's bid list (1,000 bids)", ["growth_bids:body_list"], ("growth_bids", "FundingRound"), "body"),
    ("Bid page", ["growth_bids:bid", "growth_bids:bid_detail"], ("growth_bids", "Bid"), "body"),
    ("Project list (500 projects)", ["procurement:project_list"], None, "admin"),
    (
        "Project page",
        ["procurement:project", "procurement:project_detail"],
        ("procurement", "ProcurementProject"),
        "admin",
    ),
    (
        "Timetable admin page",
        ["admin:procurement_timetable_changelist", "admin:procurement_timetabletemplate_changelist"],
        None,
        "admin",
    ),
    ("Timetable admin edit (36 tasks)", ["admin:procurement_timetable_change"], ("procurement", "Timetable"), "admin"),
    ("Programme page (50 core groups)", ["core_groups:programme"], ("core_groups", "Programme"), "admin"),
    ("Core group page", ["core_groups:group"], ("core_groups", "CoreGroup"), "admin"),
    ("Work plan (1,000 commissions)", ["core_groups:commissions"], None, "admin"),
    ("Risk register", ["core_groups:risks"], None, "admin"),
    ("Shared commissioning register", ["partnerships:register"], None, "admin"),
    (
        "Review: programme measures (50 services x 12 quarters)",
        ["review:programme"],
        ("core_groups", "Programme"),
        "admin",
    ),
    ("Admin: commissions", ["admin:core_groups_commission_changelist"], None, "admin"),
]
# The reminder sweep and PDF renderers, tried in order; the first importable one is timed.
REMINDER_SWEEPS = [
    "procurement.services.reminders_sweep",
    "procurement.services.reminder_sweep",
    "procurement.tasks.sweep_reminders",
]
PDF_RENDERERS = [
    ("Board report PDF", "commissioning.reports.render_board_report_pdf", ("core_groups", "Programme")),
    ("Bid PDF", "growth_bids.reports.render_bid_pdf", ("growth_bids", "Bid")),
    ("Timetable PDF", "procurement.reports.render_timetable_pdf", ("procurement", "Project")),
]


# WhiteNoise looks for collected static files; the bench serves pages, not assets.
warnings.filterwarnings("ignore", message="No directory at")


def say(message=""):
    print(message, flush=True)


def ensure_database():
    import psycopg2

    url = urlparse(DATABASE_URL)
    name = url.path.lstrip("/")
    admin = psycopg2.connect(
        dbname="postgres", user=url.username or "postgres", password=url.password, host=url.hostname, port=url.port
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
            say(f"Created database {name}")
    admin.close()


def setup():
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    say(f"Database: {DATABASE_URL}")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    from bench.seed import seed

    return seed(lambda m: say(f"  seed: {m}"))


def resolve(names, model):
    from django.apps import apps
    from django.urls import NoReverseMatch, reverse

    kwargs = {}
    if model:
        try:
            obj = apps.get_model(*model)._default_manager.order_by("pk").last()
        except LookupError:
            return None, f"{model[0]}.{model[1]} does not exist yet"
        if obj is None:
            return None, f"no {model[1]} in the database"
        kwargs = {"pk": obj.pk}
    for name in names:
        try:
            if name.startswith("admin:"):
                return reverse(name, kwargs={"object_id": kwargs["pk"]} if kwargs else {}), None
            return reverse(name, kwargs=kwargs), None
        except NoReverseMatch:
            continue
    return None, f"none of {', '.join(names)} exists yet"


def user(username):
    from core_groups.models import User

    return User.objects.filter(username=username).first() or User.objects.filter(is_superuser=True).first()


def measure_in_process(url, who):
    from django.db import connection
    from django.test import Client

    client = Client()
    client.force_login(who)
    for _ in range(5):
        response = client.get(url)
    if response.status_code != 200:
        return {"error": f"status {response.status_code}"}
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "queries": len(queries),
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "requests": REQUESTS,
        "bytes": len(response.content),
    }


def session_cookie(who):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(who.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = who.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_wrk():
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") and os.geteuid() == 0:
        say("Installing wrk from Debian (apt-get install -y wrk) ...")
        subprocess.run(["apt-get", "install", "-y", "wrk"], capture_output=True, timeout=300)
    return shutil.which("wrk")


class Gunicorn:
    def __init__(self):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        binary = Path(sys.executable).parent / "gunicorn"
        self.process = subprocess.Popen(
            [
                str(binary),
                "commissioning.wsgi:application",
                "-b",
                f"127.0.0.1:{self.port}",
                "-w",
                str(WORKERS),
                "--access-logfile",
                "/dev/null",
                "--error-logfile",
                "-",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=dict(os.environ),
        )

    def __enter__(self):
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/bench/trivial", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not start within 30 s")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def drain(base):
    """Wait until the server has finished the previous load (its workers answer the trivial view at once)."""
    deadline = time.time() + 60
    while time.time() < deadline:
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(base + "/bench/trivial", timeout=30):
                pass
        except OSError:
            pass
        if time.perf_counter() - start < 0.05:
            return
        time.sleep(0.2)


def wrk(binary, url, cookie=None):
    drain(url.split("/", 3)[0] + "//" + url.split("/", 3)[2])
    command = [binary, "-t2", f"-c{WRK_CONNECTIONS}", f"-d{WRK_SECONDS}s", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    run = subprocess.run(command + [url], capture_output=True, text=True, timeout=WRK_SECONDS + 30)
    out = run.stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not rps or float(rps.group(1)) == 0:
        say(f"  wrk {url}: no throughput figure: {(out + run.stderr).strip()[-300:]}")
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {
        "requests_per_second": float(rps.group(1)) if rps else None,
        "non_2xx_3xx": int(non2xx.group(1)) if non2xx else 0,
    }


def time_sweep():
    """The daily reminder sweep over the open tasks: claims (no sending), timed from a clean slate each run."""
    from django.apps import apps

    for dotted in REMINDER_SWEEPS:
        module_name, _, name = dotted.rpartition(".")
        try:
            sweep = getattr(importlib.import_module(module_name), name)
        except (ImportError, AttributeError):
            continue
        Reminder = apps.get_model("procurement", "Reminder")  # noqa: N806
        Task = apps.get_model("procurement", "Task")  # noqa: N806
        times, claimed = [], 0
        for _ in range(3):
            Reminder.objects.all().delete()  # the bench database only: each run claims afresh
            queries = []

            def count(execute, sql, params, many, context, queries=queries):
                queries.append(sql)
                return execute(sql, params, many, context)

            from django.db import connection

            start = time.perf_counter()
            with connection.execute_wrapper(count):
                claimed = len(sweep())
            times.append((time.perf_counter() - start) * 1000)
        open_tasks = Task.objects.exclude(status="done").count()
        return {
            "function": dotted,
            "open_tasks": open_tasks,
            "reminders_claimed": claimed,
            "queries": len(queries),
            "median_ms": round(statistics.median(times), 1),
            "runs": 3,
        }
    return None


def time_callable(label, dotted, model):
    from django.apps import apps

    module_name, _, name = dotted.rpartition(".")
    try:
        func = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError):
        return None
    args = []
    if model:
        try:
            obj = apps.get_model(*model)._default_manager.order_by("pk").first()
        except LookupError:
            return {"label": label, "note": f"{model[1]} does not exist"}
        if obj is None:
            return {"label": label, "note": f"no {model[1]} in the database"}
        args = [obj]
    times = []
    for _ in range(3):
        start = time.perf_counter()
        func(*args)
        times.append((time.perf_counter() - start) * 1000)
    return {"label": label, "function": dotted, "median_ms": round(statistics.median(times), 1), "runs": 3}


def ranking_figures():
    """The ranking rule over 5,000 bids (pure, no database); a figure here, never a timed test."""
    from bench.bids_bench import recommend_figures

    say("")
    return recommend_figures()


def pdf_report_figures():
    """The board-report renders (bench/reports_bench.py): highlight report with the Leeds timetable and the
    Body's pack for 10 and 100 bids, each in its own process so that peak memory is the render's own."""
    say("\nPDF renders (bench/reports_bench.py --sizes 10,100):")
    env = dict(os.environ, DATABASE_URL=DATABASE_URL)
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "reports_bench.py"), "--sizes", "10,100"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    for line in lines:
        say("  " + line)
    if done.returncode:
        say("  (failed) " + done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "  (failed)")
    return {"lines": lines, "returncode": done.returncode}


def main():
    started = time.time()
    notes = setup()
    results = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        },
        "database": DATABASE_URL,
        "settings": {
            "requests": REQUESTS,
            "wrk_seconds": WRK_SECONDS,
            "wrk_connections": WRK_CONNECTIONS,
            "gunicorn_workers": WORKERS,
        },
        "volumes": volumes(),
        "pages": [],
        "notes": list(notes),
    }
    say(f"Load average at start: {results['machine']['load_average_at_start']} on {os.cpu_count()} CPUs")
    say("\nVolumes: " + ", ".join(f"{k} {v:,}" for k, v in results["volumes"].items()))

    pages = []
    for label, names, model, persona in PAGES:
        url, why = resolve(names, model)
        if url is None:
            results["notes"].append(f"{label}: skipped ({why})")
            continue
        who = user(persona)
        figures = measure_in_process(url, who)
        pages.append({"label": label, "url": url, "as": who.username, **figures})

    binary = ensure_wrk()
    trivial_rps = None
    if binary:
        with Gunicorn() as server:
            trivial = wrk(binary, server.base + "/bench/trivial")
            trivial_rps = trivial["requests_per_second"]
            results["trivial_view"] = {"url": "/bench/trivial", **trivial}
            for page in pages:
                if "error" in page:
                    continue
                figures = wrk(binary, server.base + page["url"], cookie=session_cookie(user(page["as"])))
                page["wrk_rps"] = figures["requests_per_second"]
                page["wrk_non_2xx_3xx"] = figures["non_2xx_3xx"]
                if trivial_rps and page["wrk_rps"]:
                    page["fraction_of_trivial"] = round(page["wrk_rps"] / trivial_rps, 3)
    else:
        results["notes"].append("wrk is not installed (apt-get install wrk): no throughput figures")
    results["pages"] = pages

    results["reminder_sweep"] = time_sweep()
    if results["reminder_sweep"] is None:
        results["notes"].append(
            "Reminder sweep: no procurement sweep on this branch yet (bench/run.py REMINDER_SWEEPS)"
        )
    results["ranking"] = ranking_figures()
    from bench.timetable_bench import timetable_figures

    results["timetables"] = timetable_figures()
    results["pdf"] = [t for t in (time_callable(*r) for r in PDF_RENDERERS) if t]
    results["pdf_reports"] = pdf_report_figures()
    results["seconds"] = round(time.time() - started, 1)

    print_table(results, trivial_rps)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    say(f"\nWritten to {RESULTS.relative_to(ROOT)} in {results['seconds']} s.")


def volumes():
    from django.apps import apps

    counts = {}
    for label, model in [
        ("core_groups", "CoreGroup"),
        ("core_groups", "Commission"),
        ("core_groups", "SpendEntry"),
        ("core_groups", "Risk"),
        ("partnerships", "FundingArrangement"),
        ("growth_bids", "Bid"),
        ("procurement", "ProcurementProject"),
        ("procurement", "Task"),
    ]:
        try:
            counts[f"{label}.{model}"] = apps.get_model(label, model)._default_manager.count()
        except LookupError:
            continue
    return counts


def print_table(results, trivial_rps):
    say("")
    header = f"{'page':<34} {'queries':>7} {'median ms':>9} {'p95 ms':>7} {'wrk req/s':>9} {'of trivial':>10}"
    say(header)
    say("-" * len(header))
    for page in results["pages"]:
        if "error" in page:
            say(f"{page['label']:<34} {page['error']}")
            continue
        rps = page.get("wrk_rps")
        fraction = page.get("fraction_of_trivial")
        if page.get("wrk_non_2xx_3xx"):
            results["notes"].append(f"{page['label']}: {page['wrk_non_2xx_3xx']} non-2xx/3xx answers under wrk")
        say(
            f"{page['label']:<34} {page['queries']:>7} {page['median_ms']:>9} {page['p95_ms']:>7} "
            f"{(f'{rps:,.0f}' if rps else '-'):>9} {(f'{fraction:.0%}' if fraction else '-'):>10}"
        )
    if trivial_rps:
        say(f"{'Trivial Django view (ceiling)':<34} {'':>7} {'':>9} {'':>7} {trivial_rps:>9,.0f} {'100%':>10}")
    if results.get("reminder_sweep"):
        r = results["reminder_sweep"]
        say(
            f"\nReminder sweep over {r['open_tasks']:,} open tasks: {r['reminders_claimed']:,} reminders claimed, "
            f"{r['queries']} queries, {r['median_ms']} ms median of {r['runs']}"
        )
    for pdf in results.get("pdf", []):
        say(f"{pdf['label']}: {pdf.get('median_ms', '-')} ms median {pdf.get('note', '')}")
    slow = [p["label"] for p in results["pages"] if p.get("median_ms", 0) > 100]
    low = [p["label"] for p in results["pages"] if p.get("fraction_of_trivial") and p["fraction_of_trivial"] < 0.1]
    say("\nGoals: median <= 100 ms: " + ("met" if not slow else "missed by " + ", ".join(slow)))
    say("       >= 1/10 of the trivial view: " + ("met" if not low else "missed by " + ", ".join(low)))
    for note in results["notes"]:
        say(f"Note: {note}")


if __name__ == "__main__":
    main()
