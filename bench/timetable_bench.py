"""Timetable figures (issue 14): drawing from a template and validating 100 tasks, pure, no database.

`python bench/timetable_bench.py`, or part of `make bench` (bench/run.py).
"""

import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.settings")


def timetable_figures(runs=20):
    """Drawing a timetable from a template and validating a 100-task one (pure, no database; issue 14 asks
    for under 20 ms each). The 100 tasks: the PA 2023 open procedure with TUPE, after 85 dated preparatory tasks
    with a statutory minimum each, so every rule runs."""
    from procurement.scheduling import PlannedTask, Stage, Unit, draw_timetable, validate_timetable
    from procurement.template_library import OPEN_PA2023_STEPS

    start = dt.date(2030, 4, 1)
    draws = []
    for i in range(runs):
        began = time.perf_counter()
        plan = draw_timetable(OPEN_PA2023_STEPS, start + dt.timedelta(days=i * 11), tupe=True)
        draws.append(time.perf_counter() - began)
    plan = draw_timetable(OPEN_PA2023_STEPS, start, tupe=True)
    first = min(t.due for t in plan if t.due) - dt.timedelta(days=400)
    tasks = [
        PlannedTask(
            n,
            Stage.PRE,
            f"Preparation {n}",
            due=first + dt.timedelta(days=n * 4),
            starts_on=first + dt.timedelta(days=n * 4 - 6),
            statutory_minimum=3,
            statutory_unit=Unit.WORKING_DAYS,
            statutory_rule="bench",
        )
        for n in range(1, 101 - len(plan))
    ]
    for k, task in enumerate(plan, len(tasks) + 1):
        task.number = k
    tasks += plan
    checks = []
    for _ in range(runs):
        began = time.perf_counter()
        validate_timetable(tasks, start, regime="standard", procedure="open")
        checks.append(time.perf_counter() - began)
    draws.sort()
    checks.sort()
    figures = {
        "draw_median_ms": round(draws[len(draws) // 2] * 1000, 2),
        "validate_100_tasks_median_ms": round(checks[len(checks) // 2] * 1000, 2),
        "tasks": len(tasks),
    }
    print(
        f"Timetables: drawing one from a template {figures['draw_median_ms']} ms; validating {len(tasks)} tasks "
        f"{figures['validate_100_tasks_median_ms']} ms (medians of {runs}; the aim is under 20 ms each)"
    )
    return figures


if __name__ == "__main__":
    import django

    django.setup()
    timetable_figures()
