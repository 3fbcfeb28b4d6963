"""Procurement figures (a benchmark, not a timed test): `python bench/procurement_bench.py`.

Builds a throwaway test database (PostgreSQL when DATABASE_URL names one), then prints:
- the reminder sweep over 10,000 open tasks: queries for the sweep (fixed but for batched inserts) and the
  writes per reminder sent through the outbox;
- the same sweep run again the same day: nothing claimed twice;
- the project page's query count for 10 tasks and for 500 tasks (the same).
"""

import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.settings")
# The outbox's nudges go to an in-memory broker that no worker reads: sends are timed below, one by one.
os.environ["CELERY_BROKER_URL"] = "memory://"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

OPEN_TASKS = 10_000


class QueryCounter:
    """Every statement sent to the database while active (connection.execute_wrapper: no log to overflow)."""

    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append(sql)
        return execute(sql, params, many, context)

    def __enter__(self):
        self._cm = connection.execute_wrapper(self)
        self._cm.__enter__()
        return self

    def __exit__(self, *exc):
        return self._cm.__exit__(*exc)

    def __len__(self):
        return len(self.statements)

    @property
    def writes(self):
        return [q for q in self.statements if q.lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))]


PROJECTS = 100


def build(today):
    from core_groups.models import Organisation, User
    from procurement import services
    from procurement.models import ProcurementProject, Task, Timetable

    services.templates_install()
    lead = Organisation.objects.create(name="Bench Council", kind="unitary", is_commissioning_partner=True)
    users = [User.objects.create(username=f"u{i}", email=f"u{i}@example.gov.uk") for i in range(50)]
    projects = ProcurementProject.objects.bulk_create(
        ProcurementProject(
            reference=f"B{i}",
            title=f"Bench {i}",
            procedure="open",
            lead_organisation=lead,
            contract_start=today + dt.timedelta(days=400),
            project_manager=users[i % 50],
        )
        for i in range(PROJECTS)
    )
    timetables = Timetable.objects.bulk_create(
        Timetable(project=p, number=1, contract_start=p.contract_start) for p in projects
    )
    per = OPEN_TASKS // PROJECTS
    tasks = []
    for t_index, timetable in enumerate(timetables):
        for n in range(per):
            # Due dates spread from 30 days ago to 300 days ahead: some overdue, some due in 1 or 7 days.
            offset = (t_index * per + n) % 330 - 30
            tasks.append(
                Task(
                    timetable=timetable,
                    number=n + 1,
                    stage="pre_procurement",
                    activity=f"Task {n}",
                    due=today + dt.timedelta(days=offset),
                    responsible_user=users[n % 50],
                )
            )
    Task.objects.bulk_create(tasks, batch_size=5000)
    return projects


def bench_sweep(today):
    from foundation import outbox
    from procurement import services
    from procurement.models import Reminder

    with QueryCounter() as sweep_queries:
        started = time.perf_counter()
        ids = services.reminders_sweep(today=today)
        sweep_seconds = time.perf_counter() - started
    sample = ids[:200]
    with QueryCounter() as send_queries:
        outbox.dispatch(limit=len(sample))
    writes = send_queries.writes
    with QueryCounter() as again:
        second = services.reminders_sweep(today=today)
    print(
        f"Reminder sweep over {OPEN_TASKS:,} open tasks: {len(ids)} reminders claimed in "
        f"{len(sweep_queries)} queries ({sweep_seconds:.2f}s)"
    )
    print(
        f"  sending {len(sample)} of them: {len(send_queries)} queries, {len(writes)} writes "
        f"({len(writes) / max(len(sample), 1):.1f} writes per reminder sent: its claim, then marking it sent)"
    )
    print(
        f"  the same sweep again the same day: {len(second)} claimed, {len(again)} queries; "
        f"{Reminder.objects.count()} reminder rows in all"
    )


def bench_project_page(today):
    from django.test import Client

    from core_groups.models import Organisation, User
    from procurement.models import ProcurementProject, Task, Timetable

    admin = User.objects.create(username="bench-admin", is_superuser=True, is_staff=True)
    lead = Organisation.objects.get(name="Bench Council")
    client = Client()
    client.force_login(admin)
    counts = {}
    for n in (10, 500):
        project = ProcurementProject.objects.create(
            reference=f"P{n}", title=f"{n} tasks", procedure="open", lead_organisation=lead, contract_start=today
        )
        timetable = Timetable.objects.create(project=project, contract_start=today)
        Task.objects.bulk_create(
            Task(
                timetable=timetable,
                number=i + 1,
                stage="pre_procurement",
                activity=f"Task {i}",
                due=today - dt.timedelta(days=i),
            )
            for i in range(n)
        )
        client.get(f"/procurement/projects/{project.pk}/")
        with QueryCounter() as queries:
            response = client.get(f"/procurement/projects/{project.pk}/")
        assert response.status_code == 200
        gantt = client.get(f"/procurement/projects/{project.pk}/gantt/")
        counts[n] = (len(queries), len(gantt.content))
    print(f"Project page: {counts[10][0]} queries for 10 tasks, {counts[500][0]} queries for 500 tasks")


def main():
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from django.utils import timezone

        today = timezone.localdate()
        build(today)
        bench_sweep(today)
        bench_project_page(today)
        from bench.timetable_bench import timetable_figures

        timetable_figures()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
