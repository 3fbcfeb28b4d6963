"""Every non-trivial read of the procurement app, with its queries kept flat."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core_groups.models import (
    Allocation,
    Commission,
    CoreGroup,
    CoreGroupMembership,
    Partnership,
    Programme,
    Risk,
    SpendEntry,
    User,
)
from core_groups.tenancy import for_partnership as _scope

from .dates import Precision
from .models import (
    ConflictAssessment,
    ProcurementProject,
    ProjectPartner,
    Task,
    Timetable,
    TimetableTemplate,
    UnderspendPolicy,
)
from .scheduling import Stage
from .underspend import Split, split_underspend

if TYPE_CHECKING:
    from .filters import ProjectFilter

# How each model of this app reaches its owning partnership.
SCOPE_PATHS: dict[type, str] = {
    ProcurementProject: "partnership",
    Timetable: "project__partnership",
    Task: "timetable__project__partnership",
    UnderspendPolicy: "partnership",
}
# Form choices (core_groups/choices.py): a partnership's own rows and the national ones (partnership NULL).
NATIONAL_OR_OWN: dict[type, str] = {TimetableTemplate: "partnership"}


def for_partnership(qs: Any, partnership: Partnership | None) -> QuerySet[Any]:
    """``qs`` (a queryset or a model of this app) limited to ``partnership``'s rows; every view uses it."""
    if isinstance(qs, type):
        qs = cast(Any, qs)._default_manager.all()
    return _scope(qs, partnership, path=SCOPE_PATHS[qs.model])


def templates_for(partnership: Partnership | None) -> QuerySet[TimetableTemplate]:
    """The national templates (read-only to partnerships) and the partnership's own copies."""
    return TimetableTemplate.objects.filter(Q(partnership__isnull=True) | Q(partnership=partnership))


ZERO = Decimal("0.00")


# ---------------------------------------------------------------- underspend


@dataclass
class UnderspendRow:
    core_group: CoreGroup
    allocation: Decimal
    spend: Decimal
    splits: list[Split]  # one per policy option, in the order of the policies
    has_allocation: bool = True

    @property
    def underspend(self) -> Decimal:
        return self.splits[0].underspend if self.splits else max(self.allocation - self.spend, ZERO)

    @property
    def overspent(self) -> bool:
        return self.spend > self.allocation


def underspend_table(programme: Programme, year: int) -> dict[str, Any]:
    """Each core group's allocation, spend and underspend split under each policy option in force.

    Three queries: the policies, the core groups with their allocation and spend as subqueries.
    """
    policies = list(UnderspendPolicy.objects.in_force(programme, year))
    money = DecimalField(max_digits=14, decimal_places=2)
    allocation = Allocation.objects.filter(core_group=OuterRef("pk"), financial_year=year).values("amount")[:1]
    spend = (
        SpendEntry.objects.filter(core_group=OuterRef("pk"), financial_year=year)
        .values("core_group")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    groups = (
        CoreGroup.objects.filter(programme=programme)
        .annotate(
            _allocation=Subquery(allocation, output_field=money),
            _spend=Coalesce(Subquery(spend, output_field=money), Value(ZERO), output_field=money),
        )
        .order_by("name")
    )
    rows = []
    for group in groups:
        amount = group._allocation if group._allocation is not None else ZERO
        rows.append(
            UnderspendRow(
                core_group=group,
                allocation=amount,
                spend=group._spend,
                splits=[split_underspend(amount, group._spend, p) for p in policies],
                has_allocation=group._allocation is not None,
            )
        )
    totals = {
        "allocation": sum((r.allocation for r in rows), ZERO),
        "spend": sum((r.spend for r in rows), ZERO),
        "underspend": sum((r.underspend for r in rows), ZERO),
        "by_policy": [
            {
                "commissioning_costs": sum((r.splits[i].commissioning_costs for r in rows), ZERO),
                "discretion": sum((r.splits[i].discretion for r in rows), ZERO),
                "returned_to_jcg": sum((r.splits[i].returned_to_jcg for r in rows), ZERO),
            }
            for i in range(len(policies))
        ],
    }
    return {"policies": policies, "rows": rows, "totals": totals}


# ---------------------------------------------------------------- projects


def project_list(
    *, user: User, filters: Mapping[str, Any] | None = None, partnership: Partnership | None
) -> ProjectFilter:
    from .filters import ProjectFilter

    today = timezone.localdate()
    qs = for_partnership(
        ProcurementProject.objects.select_related("lead_organisation", "project_manager")
        .with_overdue(today)
        .annotate(
            version_number=Subquery(
                Timetable.objects.filter(project=OuterRef("pk"), is_current=True).values("number")[:1]
            )
        ),
        partnership,
    )
    return ProjectFilter(filters or None, queryset=visible_projects(user, qs))


def visible_projects(user: User, qs: QuerySet[ProcurementProject] | None = None) -> QuerySet[ProcurementProject]:
    from .permissions import can_see_all_projects

    qs = qs if qs is not None else ProcurementProject.objects.all()
    if can_see_all_projects(user):
        return qs
    org = getattr(user, "organisation_id", None)
    # One indexed lookup per way a person may see a project, each an uncorrelated subquery of ids that PostgreSQL
    # runs once (a hashed subplan) and probes per project: no join multiplies the rows (or the counts annotated
    # on ``qs``), and none reads every task of the partnership. The tests of the project's own columns come first:
    # PostgreSQL tries the ways in this order, so a project they admit never builds the subqueries. The ways:
    # they manage it, or their organisation leads it;
    rule = Q(project_manager=user)
    if org is not None:
        rule |= Q(lead_organisation_id=org)
    rule |= (
        # they are responsible for a task of its current timetable (the index on tasks' user and timetable);
        Q(
            pk__in=Task.objects.filter(responsible_user=user, timetable__is_current=True)
            .order_by()
            .values("timetable__project_id")
        )
        # the core group whose commission it delivers (it keeps that commission's risks) counts them in;
        | Q(
            commission_id__in=Commission.objects.filter(
                Q(core_group__in=CoreGroupMembership.objects.filter(user=user).values("core_group_id"))
                | Q(core_group__lead_support_officer=user)
            ).values("pk")
        )
    )
    if org is not None:
        # their organisation is a partner in it.
        rule |= Q(pk__in=ProjectPartner.objects.filter(organisation_id=org).values("project_id"))
    return qs.filter(rule)


def project_detail(pk: int, partnership: Partnership | None) -> ProcurementProject:
    return (
        for_partnership(ProcurementProject, partnership)
        .select_related("lead_organisation", "project_manager", "commission", "template")
        .prefetch_related("partner_links__organisation")
        .get(pk=pk)
    )


def current_timetable(project: ProcurementProject) -> Timetable | None:
    return Timetable.objects.select_related("published_by").filter(project=project, is_current=True).first()


def timetable_tasks(timetable: Timetable | None) -> list[Task]:
    return list(timetable.tasks.select_related("responsible_user").order_by("number")) if timetable else []


def tasks_by_stage(tasks: Iterable[Task]) -> list[tuple[str, str, list[Task]]]:
    grouped: OrderedDict[str, list[Task]] = OrderedDict((stage, []) for stage in Stage.ORDER)
    for task in tasks:
        grouped.setdefault(task.stage, []).append(task)
    return [(stage, Stage.LABELS.get(stage, stage), items) for stage, items in grouped.items() if items]


def versions(project: ProcurementProject) -> list[Timetable]:
    return list(
        Timetable.objects.filter(project=project)
        .select_related("published_by")
        .annotate(task_count=Count("tasks"))
        .order_by("-number")
    )


@dataclass
class TaskDiff:
    number: int
    change: str  # added, removed, changed, moved, same
    old: Task | None
    new: Task | None
    fields: list[str]

    @property
    def moved_from(self) -> int | None:
        """The task's number in the earlier version, when it was moved (not only renumbered by an insert)."""
        if self.old is None or self.new is None or self.old.number == self.new.number:
            return None
        return self.old.number if self.change == "moved" or "order" in self.fields else None


COMPARED = ["stage", "activity", "responsibility", "date_label", "status", "done_on", "notes"]


def _match(old_tasks: list[Task], new_tasks: list[Task]) -> dict[int, Task]:
    """Each earlier task's counterpart in the later version (by id of the earlier task): the same number and
    activity first, then the same activity elsewhere (a moved task), then the same number (a reworded one)."""
    free = {t.pk: t for t in new_tasks}
    matched: dict[int, Task] = {}
    by_number = {t.number: t for t in new_tasks}
    for a in old_tasks:
        b = by_number.get(a.number)
        if b is not None and b.activity == a.activity and b.pk in free:
            matched[a.pk] = free.pop(b.pk)
    by_activity: dict[str, list[Task]] = {}
    for b in sorted(free.values(), key=lambda t: t.number):
        by_activity.setdefault(b.activity, []).append(b)
    for a in old_tasks:
        if a.pk not in matched and by_activity.get(a.activity):
            b = by_activity[a.activity].pop(0)
            matched[a.pk] = free.pop(b.pk)
    for a in old_tasks:
        b = by_number.get(a.number)
        if a.pk not in matched and b is not None and b.pk in free:
            matched[a.pk] = free.pop(b.pk)
    return matched


def compare_versions(old: Timetable, new: Timetable) -> list[TaskDiff]:
    """Task-by-task differences between two versions, in the later version's order.

    Tasks are matched by what they are, not only by number: a task swapped or moved is "moved" (its earlier number
    kept), tasks only renumbered by an insert or a removal are not; a changed task names its changed fields.
    """
    old_tasks = list(old.tasks.order_by("number"))
    new_tasks = list(new.tasks.order_by("number"))
    matched = _match(old_tasks, new_tasks)
    pairs = sorted(((a, b) for a in old_tasks if (b := matched.get(a.pk)) is not None), key=lambda p: p[1].number)
    moved = set()
    for i, (a, _) in enumerate(pairs):
        before = pairs[i - 1][0].number if i else 0
        after = pairs[i + 1][0].number if i + 1 < len(pairs) else a.number + 1
        if not before < a.number < after:
            moved.add(a.pk)
    diffs = []
    for a, b in pairs:
        changed = [f for f in COMPARED if getattr(a, f) != getattr(b, f)]
        if changed:
            change = "changed"
            if a.pk in moved:
                changed.append("order")
        else:
            change = "moved" if a.pk in moved else "same"
        diffs.append(TaskDiff(b.number, change, a, b, changed))
    kept = {b.pk for _, b in pairs}
    diffs.extend(TaskDiff(b.number, "added", None, b, []) for b in new_tasks if b.pk not in kept)
    for a in old_tasks:
        if a.pk not in matched:
            # A removed task sits where it was: after the later task that followed its predecessor.
            diffs.append(TaskDiff(a.number, "removed", a, None, []))
    return sorted(diffs, key=lambda d: (d.new.number if d.new else d.number, d.new is None))


def next_milestones(
    user: User, limit: int = 8, today: date | None = None, *, partnership: Partnership | None
) -> list[Task]:
    """The next open tasks a person is responsible for (or manages) in the partnership, soonest first.

    Two queries, one per way, each reading an index (the person's open tasks by due date; the projects they
    manage, then those projects' open tasks by due date) and stopping at ``limit``; merged here. One query with
    ``responsible OR manager`` cannot use either index and read every open task of the partnership (issue 17)."""
    base = (
        for_partnership(Task.objects.open().current(), partnership)
        .filter(due__isnull=False)
        .exclude(precision=Precision.TBD)
        .select_related("timetable__project")
        .order_by("due", "number", "pk")
    )
    found: dict[int, Task] = {}
    for way in (Q(responsible_user=user), Q(timetable__project__project_manager=user)):
        for task in base.filter(way)[:limit]:
            found.setdefault(task.pk, task)
    return sorted(found.values(), key=lambda t: (t.due, t.number, t.pk))[:limit]


def overdue_count(tasks: Iterable[Task], today: date | None = None) -> int:
    today = today or timezone.localdate()
    return sum(1 for t in tasks if t.urgency(today) == "overdue")


def project_risks(project: ProcurementProject) -> list[Risk]:
    """The project's open risks (core_groups' register, scoped to the project), highest score first."""
    return list(Risk.objects.for_object(project).open().select_related("owner").order_by("-score", "title"))


def conflict_assessments(project: ProcurementProject) -> list[ConflictAssessment]:
    """The project's conflicts assessment (Procurement Act 2023 s.83), newest first, with who assessed."""
    return list(project.conflict_assessments.select_related("assessed_by").order_by("-assessed_on", "person", "pk"))
