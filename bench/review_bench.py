"""Review's figures for `make bench` (issue 16), printed with their goals beside them:

1. The review programme page (every measure's chart and table) costs a fixed number of queries: counted for the
   bench programme (50 services x 12 quarters of returns, bench/seed.py seed_review) and for a programme of
   2 services x 2 quarters made for the count; the goal is the same number for both.
2. The highlight report's "Outcomes and performance measures" section for those 50 services renders in under
   2 s: the section's data (review.report_sections, the snapshot's part) and its HTML, median of 5; the PDF of a
   report holding that section alone is timed beside it (WeasyPrint's 0.2 s a page, as bench/reports_bench.py).

Everything written for the figures (the small programme, the report) is rolled back. Called by bench/run.py in
the bench's own process and database (Django set up).
"""

from __future__ import annotations

import datetime
import statistics
import time
from decimal import Decimal
from typing import Any

SECTION_GOAL_S = 2.0
PDF_PAGE_GOAL_S = 0.2


class _Rollback(Exception):
    pass


def _page_queries(url: str, who: Any) -> tuple[list[str], int]:
    from django.db import connection
    from django.test import Client

    client = Client()
    client.force_login(who)
    client.get(url)  # warm the session and the person's roles
    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    return queries, response.status_code


def _unmatched(these: list[str], those: list[str]) -> list[str]:
    """The queries of ``these`` with no query of the same shape (its first 60 characters) in ``those``: what a
    count that differs is made of, so that the bench says which queries grew, not only that some did."""
    left = [q[:60] for q in those]
    extra = []
    for query in these:
        if query[:60] in left:
            left.remove(query[:60])
        else:
            extra.append(query[:160])
    return extra


def _small_programme(big: Any, who: Any) -> Any:
    """2 services x 2 quarters, in the bench programme's partnership, through the review services."""
    from core_groups.models import Commission, CoreGroup, Programme
    from review import rules, services
    from review.models import Measure

    programme = Programme.objects.create(
        partnership=big.partnership, name="Review bench: small programme", first_year=big.first_year or 2010
    )
    group = CoreGroup.objects.create(programme=programme, name="Review bench: small group")
    quarters = rules.quarters(datetime.date(2010, 4, 1), datetime.date(2010, 9, 30))
    for n in range(2):
        service = Commission.objects.create(
            core_group=group,
            title=f"Review bench service {n}",
            annual_value=Decimal("1000.00"),
            indicative_start=datetime.date(2010, 4, 1),
            indicative_end=datetime.date(2013, 3, 31),
        )
        measure = services.measure_create(
            programme=programme, commission=service, title="People supported", unit=Measure.Unit.NUMBER
        )
        for start, end in quarters:
            services.target_set(measure=measure, period_start=start, period_end=end, value=Decimal(10))
            services.return_submit(
                user=who, commission=service, period_start=start, period_end=end, values={measure.pk: "12"}
            )
    return programme


def figures(*, with_pdf: bool = True) -> dict[str, Any] | None:
    from django.db import transaction
    from django.template.loader import render_to_string
    from django.urls import reverse

    from bench.seed import largest_bench_programme
    from core_groups.models import User
    from review import report_sections
    from review.models import Measure, Return

    big = largest_bench_programme()
    if big is None or not Measure.objects.filter(programme=big).exists():
        return None
    who = User.objects.filter(username="admin").first() or User.objects.filter(is_superuser=True).first()
    services_n = Measure.objects.filter(programme=big).values("commission").distinct().count()
    returns_n = Return.objects.filter(commission__core_group__programme=big).count()
    result: dict[str, Any] = {"services": services_n, "returns": returns_n}
    try:
        with transaction.atomic():
            big_q, big_status = _page_queries(reverse("review:programme", args=[big.pk]), who)
            small = _small_programme(big, who)
            small_q, small_status = _page_queries(reverse("review:programme", args=[small.pk]), who)
            result["programme_page"] = {
                "queries_50x12": len(big_q),
                "queries_2x2": len(small_q),
                "status": [big_status, small_status],
                "goal": "same count",
                "met": len(big_q) == len(small_q) and big_status == small_status == 200,
                "only_at_50x12": _unmatched(big_q, small_q),
                "only_at_2x2": _unmatched(small_q, big_q),
            }

            data_times, html_times = [], []
            data = None
            for _ in range(5):
                start = time.perf_counter()
                data = report_sections.performance_measures(big, None, None)
                data_times.append(time.perf_counter() - start)
                start = time.perf_counter()
                render_to_string(
                    "commissioning/reports/pdf/sections/performance_measures.html",
                    {"d": data, "charts": _charts(data)},
                )
                html_times.append(time.perf_counter() - start)
            data_s, html_s = statistics.median(data_times), statistics.median(html_times)
            result["section"] = {
                "measures": data["total"] if data else 0,
                "data_s": round(data_s, 3),
                "html_s": round(html_s, 3),
                "total_s": round(data_s + html_s, 3),
                "goal": f"< {SECTION_GOAL_S:g} s",
                "met": data_s + html_s < SECTION_GOAL_S,
            }
            if with_pdf:
                result["section_pdf"] = _pdf(big, who)
            raise _Rollback
    except _Rollback:
        pass
    return result


def _charts(data: dict[str, Any] | None) -> dict[str, Any]:
    """The section's charts as the PDF draws them (commissioning.reports.pdf.chart_context)."""
    from commissioning.reports.pdf import chart_context

    return chart_context({"sections": [{"key": "performance_measures", "data": data, "appendix": False}]})


def _pdf(programme: Any, who: Any) -> dict[str, Any]:
    from commissioning.reports.pdf import render_report_pdf
    from commissioning.reports.snapshot import build_snapshot
    from tests.commissioning.report_factories import highlight_report

    report = highlight_report(
        programme=programme,
        user=who,
        title="Review bench: performance measures",
        sections=["performance_measures"],
        period_start=datetime.date(2010, 4, 1),
        period_end=datetime.date(2013, 3, 31),
    )
    start = time.perf_counter()
    snapshot = build_snapshot(report, "internal")
    snap_s = time.perf_counter() - start
    start = time.perf_counter()
    _pdf_bytes, pages = render_report_pdf(snapshot)
    render_s = time.perf_counter() - start
    per_page = render_s / pages if pages else 0
    return {
        "snapshot_s": round(snap_s, 3),
        "render_s": round(render_s, 2),
        "pages": pages,
        "per_page_s": round(per_page, 3),
        "goal": f"<= {PDF_PAGE_GOAL_S:g} s/page",
        "met": per_page <= PDF_PAGE_GOAL_S,
    }


def _mark(check: dict[str, Any]) -> str:
    return ("ok " if check["met"] else "NO ") + check["goal"]


def print_figures(review: dict[str, Any] | None, say: Any) -> list[str]:
    """Print the figures with their goals; return the goals missed (for the bench's summary line)."""
    if not review:
        say("\nReview: no review data in the bench database (bench/seed.py seed_review); no figures")
        return []
    missed = []
    say(f"\nReview ({review['services']} services, {review['returns']:,} returns):")
    page = review["programme_page"]
    say(
        f"  Programme page queries: {page['queries_50x12']} at 50 services x 12 quarters, "
        f"{page['queries_2x2']} at 2 x 2   [{_mark(page)}]"
    )
    for key, where in (("only_at_50x12", "50 x 12"), ("only_at_2x2", "2 x 2")):
        for query in page.get(key, []):
            say(f"    only at {where}: {query}")
    section = review["section"]
    say(
        f"  Highlight report section (performance measures, {section['measures']} measures): "
        f"data {section['data_s']:.3f} s + HTML {section['html_s']:.3f} s = {section['total_s']:.3f} s median of 5"
        f"   [{_mark(section)}]"
    )
    for key, check in (("programme page queries", page), ("review section", section)):
        if not check["met"]:
            missed.append(f"Review {key} ({check['goal']})")
    pdf = review.get("section_pdf")
    if pdf:
        say(
            f"  The section alone as a PDF: snapshot {pdf['snapshot_s']:.3f} s, render {pdf['render_s']:.2f} s, "
            f"{pdf['pages']} pages, {pdf['per_page_s']:.3f} s/page   [{_mark(pdf)}]"
        )
        if not pdf["met"]:
            missed.append(f"Review section PDF ({pdf['goal']})")
    return missed
