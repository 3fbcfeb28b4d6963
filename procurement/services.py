"""Every write of the procurement app: keyword-only, atomic, validated before saving."""

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from foundation import editing, mail, outbox

from . import scheduling
from .models import (
    Approach,
    ConflictAssessment,
    ProcurementProject,
    ProjectPartner,
    Regime,
    Reminder,
    ReminderSettings,
    Task,
    Timetable,
    TimetableTemplate,
    UnderspendPolicy,
)

TASK_COPY_FIELDS = [
    "number",
    "stage",
    "activity",
    "responsibility",
    "responsible_user_id",
    "starts_on",
    "due",
    "precision",
    "milestone",
    "status",
    "done_on",
    "notes",
    "step_position",
    "statutory_minimum",
    "statutory_unit",
    "statutory_rule",
    "kind",
    "numbered",
]


def _plan_errors(tasks, contract_start, project=None, *, focus=None):
    """Refuse a timetable that does not hold together, with every problem. Problems that concern ``focus`` (the
    task being edited) go beside the field they name; the others are for the whole form."""
    problems = scheduling.timetable_problems(tasks, contract_start, **scheduling.rules_of(project))
    if not problems:
        return
    if focus is None:
        raise ValidationError([p.message for p in problems])
    errors = {}
    for problem in problems:
        field = problem.field if focus.number in problem.numbers else "__all__"
        errors.setdefault(field, []).append(problem.message)
    raise ValidationError(errors)


def _draw(template, contract_start, tupe):
    try:
        return scheduling.draw_timetable(template.as_steps(), contract_start, tupe=tupe)
    except scheduling.SchedulingError as exc:
        raise ValidationError({exc.field or "template": exc.message}) from exc


@transaction.atomic
def project_create(
    *,
    title,
    reference,
    procedure,
    lead_organisation,
    contract_start,
    template,
    tupe=False,
    description="",
    regime=None,
    jurisdiction="england",
    urgency=False,
    electronic_tenders=True,
    approach=Approach.SINGLE,
    partners=(),
    estimated_annual_value=None,
    contract_years=3,
    project_manager=None,
    commission=None,
    status=ProcurementProject.Status.PLANNING,
    created_by=None,
    version_number=1,
    change_note="Drawn from the template",
    partnership=None,
):
    """Create a project and draw its timetable (version ``version_number``) backwards from the contract start.

    ``partners`` is a list of (organisation, annual contribution). The integrator uses this to turn a funded
    growth bid or a shared-commissioning option into a project.
    """
    if partnership is None:
        # Not named: the commission's partnership, else the one the lead organisation belongs to.
        partnership = (
            commission.core_group.partnership if commission else lead_organisation.partnerships.order_by("pk").first()
        )
    if regime is None:
        # Not given: the template's regime (a light-touch template draws a light-touch project).
        regime = template.regime if template is not None else Regime.STANDARD
    project = ProcurementProject(
        partnership=partnership,
        title=title,
        reference=str(reference),
        procedure=procedure,
        regime=regime,
        jurisdiction=jurisdiction,
        urgency=urgency,
        electronic_tenders=electronic_tenders,
        approach=approach,
        lead_organisation=lead_organisation,
        contract_start=contract_start,
        template=template,
        tupe=tupe,
        description=description,
        estimated_annual_value=estimated_annual_value,
        contract_years=contract_years,
        project_manager=project_manager,
        commission=commission,
        status=status,
    )
    project.full_clean()
    plan = _draw(template, contract_start, tupe) if template else []
    _check_mandatory_steps(plan, project, field="template")
    _plan_errors(plan, contract_start, project)
    project.save()
    for organisation, contribution in partners:
        link = ProjectPartner(project=project, organisation=organisation, annual_contribution=contribution)
        link.full_clean()
        link.save()
    timetable_draw(project=project, plan=plan, user=created_by, number=version_number, change_note=change_note)
    return project


def plan_for(project):
    """The tasks a project's template draws from its contract start; ValidationError if they do not hold together."""
    plan = _draw(project.template, project.contract_start, project.tupe) if project.template_id else []
    _check_mandatory_steps(plan, project, field="template")
    _plan_errors(plan, project.contract_start, project)
    return plan


def _check_mandatory_steps(tasks, project, *, field):
    """Refuse a standard-regime procedure whose timetable lacks one of its mandatory steps (issue 14, item 2)."""
    if not project.template_id and not tasks:
        return
    missing = scheduling.missing_steps(tasks, regime=project.regime, procedure=project.procedure)
    if missing:
        name = project.template.name if project.template_id else ""
        message = scheduling.missing_steps_message(
            missing, procedure=project.procedure, template_name=name, regime=project.regime
        )
        raise ValidationError({field: message})


def project_feasibility(project, today=None):
    """Whether the project's template, drawn back from its contract start, leaves every task in the future
    (scheduling.Feasibility: how many days too soon, and the earliest feasible contract start)."""
    today = today or timezone.localdate()
    steps = project.template.as_steps() if project.template_id else []
    if not steps:
        return scheduling.Feasibility(total=0, overdue=[])
    return scheduling.feasibility(steps, project.contract_start, today, tupe=project.tupe)


def _fit(text, limit):
    """Generated text cut to its column, marked as cut: a long service name must never fail a save."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# The history tables' change-reason column (django-simple-history) holds 100 characters.
CHANGE_REASON_LENGTH = 100


@transaction.atomic
def timetable_draw(*, project, plan=None, user=None, number=1, change_note="Drawn from the template"):
    """The first version of a project's timetable, drawn from its template."""
    change_note = _fit(change_note, Timetable._meta.get_field("change_note").max_length)
    plan = plan_for(project) if plan is None else plan
    project_manager = project.project_manager
    created_by = user
    contract_start = project.contract_start
    version_number = number
    timetable = Timetable.objects.create(
        project=project,
        number=version_number,
        contract_start=contract_start,
        published_by=created_by,
        change_note=change_note,
    )
    bulk_create_with_history(
        [
            Task(
                timetable=timetable,
                number=p.number,
                stage=p.stage,
                activity=p.activity,
                responsibility=p.responsibility,
                responsible_user=project_manager if p.responsibility.lower().startswith("project manager") else None,
                starts_on=p.starts_on,
                due=p.due,
                precision=p.precision,
                milestone=p.milestone,
                notes=p.notes,
                step_position=p.step_position,
                statutory_minimum=p.statutory_minimum,
                statutory_unit=p.statutory_unit,
                statutory_rule=p.statutory_rule,
                kind=p.kind,
                numbered=p.numbered,
            )
            for p in plan
        ],
        Task,
        default_user=created_by,
        default_change_reason=_fit(change_note, CHANGE_REASON_LENGTH),
    )
    return timetable


# The fields a project's own page (and project_create) may set.
PROJECT_FIELDS = [
    "reference",
    "title",
    "description",
    "procedure",
    "regime",
    "approach",
    "lead_organisation",
    "project_manager",
    "commission",
    "status",
    "contract_start",
    "contract_years",
    "tupe",
    "jurisdiction",
    "urgency",
    "electronic_tenders",
    "estimated_annual_value",
]


@transaction.atomic
def project_update(*, project, expected_version, user=None, partners=None, **fields):
    """Change a project's fields; a new contract start re-plans the open tasks of the current timetable.

    ``partners``, when given, is the whole new list of (organisation, annual contribution): partners left out are
    removed, the others added or their contributions changed.
    """
    locked = ProcurementProject.objects.select_for_update().get(pk=project.pk)
    editing.check_version(locked, expected_version, noun="project")
    old_start, old_rules = locked.contract_start, scheduling.rules_of(locked)
    editing.apply_fields(locked, fields, fields=PROJECT_FIELDS)
    locked.full_clean()
    if locked.contract_start != old_start:
        _replan(locked, old_start, locked.contract_start)
    elif scheduling.rules_of(locked) != old_rules:
        # Another regime or procedure brings other rules: the current timetable is checked against them.
        tasks = list(Task.objects.filter(timetable__project=locked, timetable__is_current=True))
        _check_mandatory_steps(tasks, locked, field="regime")
        try:
            _plan_errors(tasks, locked.contract_start, locked)
        except ValidationError as exc:
            raise ValidationError({"regime": exc.messages}) from exc
    editing.save_version(locked, clean=False)  # cleaned above, before the re-plan that depends on it
    if partners is not None:
        _set_partners(locked, partners)
    return locked


def _set_partners(project, partners):
    wanted = {organisation.pk: (organisation, contribution) for organisation, contribution in partners}
    existing = {link.organisation_id: link for link in project.partner_links.all()}
    for org_id, link in existing.items():
        if org_id not in wanted:
            link.delete()
    for org_id, (organisation, contribution) in wanted.items():
        link = existing.get(org_id) or ProjectPartner(project=project, organisation=organisation)
        if link.pk and link.annual_contribution == contribution:
            continue
        link.annual_contribution = contribution
        try:
            link.full_clean()
        except ValidationError as exc:
            raise ValidationError({"partners": [f"{organisation}: {m}" for m in exc.messages]}) from exc
        link.save()


@transaction.atomic
def project_move_contract_start(*, project, contract_start, expected_version, user=None):
    return project_update(project=project, expected_version=expected_version, user=user, contract_start=contract_start)


def _replan(project, old_start, new_start):
    timetable = Timetable.objects.select_for_update().get(project=project, is_current=True)
    tasks = list(timetable.tasks.all())
    steps = project.template.as_steps() if project.template_id else []
    try:
        changes = scheduling.replan(tasks, steps, old_start, new_start, tupe=project.tupe)
    except scheduling.SchedulingError as exc:
        raise ValidationError({"contract_start": exc.message}) from exc
    for task, due, starts_on in changes:
        task.due, task.starts_on = due, starts_on
    errors = scheduling.validate_timetable(tasks, new_start, **scheduling.rules_of(project))
    if errors:
        raise ValidationError({"contract_start": errors})
    for task, _, _ in changes:
        task.save(update_fields=["due", "starts_on"])
    timetable.contract_start = new_start
    timetable.lock_version += 1
    timetable.save(update_fields=["contract_start", "lock_version"])
    return changes


@transaction.atomic
def timetable_publish(*, timetable, expected_number, user=None, change_note=""):
    """Publish a new version: the current state is kept as version N, and the live timetable becomes N + 1.

    ``expected_number`` is the version number the publisher saw. Two people publishing at once: the second finds
    the number moved on and is told (StaleEdit), losing nothing.
    """
    current = Timetable.objects.select_for_update().get(pk=timetable.pk)
    if not current.is_current:
        raise ValidationError(f"Version {current.label} has been superseded; publish from the current version.")
    editing.check_version(
        current,
        expected_number,
        current=current.number,
        message=(
            f"Someone else published {current.label} while you were editing v{expected_number}. "
            "Reload the timetable to see their version, then make your changes again."
        ),
    )
    tasks = list(current.tasks.all())
    _plan_errors(tasks, current.project.contract_start, current.project)
    # The live row moves on to the next number first; the snapshot then keeps the old number.
    old = {f: getattr(current, f) for f in ("number", "published_at", "published_by_id", "change_note")}
    current.number += 1
    current.published_at = timezone.now()
    current.published_by = user
    current.change_note = change_note
    current.lock_version += 1
    current.save()
    snapshot = Timetable.objects.create(
        project_id=current.project_id, is_current=False, contract_start=current.contract_start, **old
    )
    bulk_create_with_history(
        [Task(timetable=snapshot, **{f: getattr(t, f) for f in TASK_COPY_FIELDS}) for t in tasks],
        Task,
        default_user=user,
        default_change_reason=f"Kept as v{snapshot.number} when v{current.number} was published",
    )
    # The publication is a decision bound to the plan it published (core_groups.Decision): the version number
    # and a digest of each task's dates. A later change of that plan shows on the page as not yet published.
    from core_groups.models import Decision
    from core_groups.services import record_decision

    record_decision(
        subject=current,
        kind=Decision.Kind.TIMETABLE,
        outcome=Decision.Outcome.PUBLISHED,
        decided_by=user,
        decided_on=timezone.localdate(current.published_at),
        subject_version=current.number,
        values=timetable_plan(tasks, current.contract_start),
        deciding_body="Programme team",
        conditions=change_note,
    )

    from .notifications import tell_timetable_published

    tell_timetable_published(current, by=user)
    return current


def timetable_plan(tasks, contract_start):
    """What a published version commits to, as plain values: the contract start and each task's plan."""
    return {
        "contract_start": contract_start.isoformat() if contract_start else None,
        "tasks": [
            [
                t.number,
                t.activity,
                t.starts_on.isoformat() if t.starts_on else None,
                t.due.isoformat() if t.due else None,
                t.precision,
                t.milestone,
            ]
            for t in sorted(tasks, key=lambda t: t.number)
        ],
    }


def publication_standing(timetable):
    """(the publication decision of the live version, whether its plan is still what was published).

    (None, False) when the version was never published through the product (a first draw)."""
    from core_groups.decisions import digest
    from core_groups.models import Decision

    decision = (
        Decision.objects.for_subject(timetable)
        .current()
        .filter(kind=Decision.Kind.TIMETABLE)
        .select_related("decided_by")
        .first()
    )
    if decision is None:
        return None, False
    return decision, decision.digest == digest(timetable_plan(list(timetable.tasks.all()), timetable.contract_start))


def _kept_version_refusal(timetable):
    who = timetable.published_by.display_name if timetable.published_by_id else "the programme team"
    when = f" on {timezone.localtime(timetable.published_at):%-d %B %Y}" if timetable.published_at else ""
    return (
        f"Timetable {timetable.label} is an earlier version, kept as {who} published it{when}: it cannot be "
        "changed. Change the current version, and publish it."
    )


@transaction.atomic
def timetable_shift(*, timetable, days=0, months=0, user=None):
    """Move every open task of the current version by whole months and/or days (finished tasks stay)."""
    from .dates import add_months, snap

    current = Timetable.objects.select_for_update().get(pk=timetable.pk)
    if not current.is_current:
        raise ValidationError("Only the current version of a timetable can be shifted.")
    tasks = list(current.tasks.all())
    for task in tasks:
        if task.is_finished or task.due is None:
            continue
        due, start = task.due, task.starts_on
        if months:
            due = snap(task.precision, add_months(due, months))
            start = add_months(start, months) if start else None
        if days:
            due = due + dt.timedelta(days=days)
            start = start + dt.timedelta(days=days) if start else None
        task.due, task.starts_on = due, start
    _plan_errors(tasks, current.project.contract_start, current.project)
    for task in tasks:
        if not task.is_finished and task.due is not None:
            task.save(update_fields=["due", "starts_on"])
    current.lock_version += 1
    current.save(update_fields=["lock_version"])
    return current


def task_version(task):
    """The version of a task as an editor saw it: its latest change in the history (admin and pages share it)."""
    return task.history.order_by("-history_id").values_list("history_id", flat=True).first()


@transaction.atomic
def task_update(*, task, expected_version, user=None, **fields):
    """Change one task of the current version; the whole timetable must still hold together.

    ``expected_version`` is :func:`task_version` when the editor opened the task; if someone has changed the task
    since, nothing is saved and the second person is told.
    """
    locked = Task.objects.select_for_update().select_related("timetable__project").get(pk=task.pk)
    if not locked.timetable.is_current:
        raise ValidationError(_kept_version_refusal(locked.timetable))
    editing.check_version(locked, expected_version, current=task_version(locked), noun="task")
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    others = [t for t in locked.timetable.tasks.all() if t.pk != locked.pk] + [locked]
    _plan_errors(others, locked.timetable.project.contract_start, locked.timetable.project, focus=locked)
    locked.save()
    return locked


NUMBER_CONSTRAINT = "unique_task_number_per_version"


def _check_numbers_now(timetable):
    """Check the deferred unique task numbers at this point of the transaction (not only at its commit), so a
    clash is a message here rather than an error at commit; then defer them again for the next reorder.

    SQLite (``make run``'s database) has no deferrable constraint, so Django does not make this one there and
    ``SET CONSTRAINTS`` is a syntax error (a reorder in admin answered 500): the numbers are counted instead."""
    if not connection.features.supports_deferrable_unique_constraints:
        clash = timetable.tasks.values("number").annotate(n=Count("pk")).filter(n__gt=1).exists()
        if clash:
            raise ValidationError({"number": "Two tasks of this timetable would have the same number."})
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {NUMBER_CONSTRAINT} IMMEDIATE")  # nosec B608 - a constant name
    except IntegrityError as exc:
        raise ValidationError({"number": "Two tasks of this timetable would have the same number."}) from exc
    with connection.cursor() as cursor:
        cursor.execute(f"SET CONSTRAINTS {NUMBER_CONSTRAINT} DEFERRED")  # nosec B608 - a constant name


def _current_for_edit(timetable, expected_lock=None):
    """The current version, locked for the edit; with ``expected_lock`` (the lock version the editor saw), a
    timetable changed since is refused (StaleEdit) and nothing is saved."""
    locked = Timetable.objects.select_for_update().select_related("project").get(pk=timetable.pk)
    if not locked.is_current:
        raise ValidationError(_kept_version_refusal(locked))
    if expected_lock is not None:
        editing.check_version(
            locked,
            expected_lock,
            current=locked.lock_version,
            message=(
                "Someone else changed this timetable while you were looking at it. Nothing was saved: look at the "
                "timetable as it is now and make your change again."
            ),
        )
    return locked


def _apply_order(timetable, ordered, *, user=None):
    """Number ``ordered`` (every task of the timetable, in their new order) 1..n, after checking the whole
    timetable holds together with those numbers; saves only the tasks whose number changes."""
    old = {t.pk: t.number for t in ordered if t.pk}
    for number, task in enumerate(ordered, 1):
        task.number = number
    _plan_errors(ordered, timetable.project.contract_start, timetable.project)
    for task in ordered:
        if task.pk and old.get(task.pk) != task.number:
            task._change_reason = "Renumbered"
            task.save(update_fields=["number"])
    _check_numbers_now(timetable)
    timetable.lock_version += 1
    timetable.save(update_fields=["lock_version"])
    return ordered


@transaction.atomic
def timetable_renumber(*, timetable, order, user=None):
    """Give the tasks of ``timetable`` the numbers 1..n in the order of ``order`` (tasks or their ids)."""
    current = _current_for_edit(timetable)
    tasks = {t.pk: t for t in current.tasks.all()}
    ids = [getattr(t, "pk", t) for t in order]
    if sorted(ids) != sorted(tasks):
        raise ValidationError("The new order must list every task of the timetable once.")
    return _apply_order(current, [tasks[pk] for pk in ids], user=user)


def _check_position(number, highest):
    if number is None or not 1 <= int(number) <= highest:
        raise ValidationError({"number": f"Choose a number from 1 to {highest}."})
    return int(number)


@transaction.atomic
def task_move(*, task, to_number, user=None, expected_lock=None):
    """Move a task to ``to_number``; the tasks between move up or down one, so the numbers stay 1..n."""
    current = _current_for_edit(task.timetable, expected_lock)
    ordered = list(current.tasks.order_by("number", "pk"))
    moving = next(t for t in ordered if t.pk == task.pk)
    to_number = _check_position(to_number, len(ordered))
    ordered.remove(moving)
    ordered.insert(to_number - 1, moving)
    _apply_order(current, ordered, user=user)
    return moving


@transaction.atomic
def task_insert(*, timetable, number, user=None, expected_lock=None, **fields):
    """A new task at ``number`` of the current version; the tasks from that number on move down one."""
    current = _current_for_edit(timetable, expected_lock)
    ordered = list(current.tasks.order_by("number", "pk"))
    number = _check_position(number, len(ordered) + 1)
    task = Task(timetable=current, number=number, **fields)
    task.full_clean(exclude=["number"])
    ordered.insert(number - 1, task)
    _apply_order(current, ordered, user=user)
    task._change_reason = "Inserted"
    task.save()
    _check_numbers_now(current)
    return task


@transaction.atomic
def task_remove(*, task, user=None, expected_lock=None):
    """Remove a task of the current version; the tasks after it move up one."""
    current = _current_for_edit(task.timetable, expected_lock)
    ordered = [t for t in current.tasks.order_by("number", "pk") if t.pk != task.pk]
    for gone in Task.objects.filter(pk=task.pk):
        gone.delete()  # an instance's delete: simple-history records it
    _apply_order(current, ordered, user=user)


def template_for(procedure):
    return TimetableTemplate.objects.filter(procedure=procedure, is_active=True).order_by("name").first()


# --------------------------------------------------------------------------------------------------
# Reminders

REMINDER_KIND = "procurement.reminder"


def reminders_due(today, config):
    """What the sweep would claim today, as unsaved Reminder rows (one query for the tasks)."""
    horizon = today + dt.timedelta(days=config.first_notice_days)
    tasks = (
        Task.objects.open()
        .current()
        .filter(due__isnull=False, due__lte=horizon)
        .exclude(timetable__project__status__in=["closed", "cancelled"])
        .select_related("responsible_user", "timetable__project__project_manager")
        .only(
            "id",
            "due",
            "status",
            "responsible_user__email",
            "responsible_user__is_active",
            "timetable__project__project_manager__email",
            "timetable__project__project_manager__is_active",
        )
    )
    claim = uuid.uuid4()
    rows = []
    for task in tasks.iterator(chunk_size=2000):
        left = (task.due - today).days
        manager = task.timetable.project.project_manager
        if left < 0:
            kind, sequence = Reminder.Kind.OVERDUE, (-left - 1) // config.overdue_every_days
            person = manager
        elif left <= config.final_notice_days:
            kind, sequence, person = Reminder.Kind.FINAL, 0, task.responsible_user or manager
        else:
            kind, sequence, person = Reminder.Kind.FIRST, 0, task.responsible_user or manager
        if person is None or not person.email or not person.is_active:
            continue
        rows.append(
            Reminder(
                task_id=task.id,
                kind=kind,
                due=task.due,
                sequence=sequence,
                recipient=person,
                email=person.email,
                claim=claim,
            )
        )
    return claim, rows


def reminders_sweep(*, today=None):
    """Claim today's reminders (insert, ignoring those already claimed) and queue each new one's email in
    the outbox, in the same transaction: a claimed reminder is always sent, and only once.

    Runs a fixed number of queries however many tasks there are, plus the inserts (batched).
    """
    today = today or timezone.localdate()
    config = ReminderSettings.current()
    if not config.enabled:
        return []
    with transaction.atomic():
        claim, rows = reminders_due(today, config)
        if rows:
            Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=5000)
        fresh = list(Reminder.objects.filter(claim=claim).values_list("id", "email"))
        outbox.enqueue_many(
            outbox.message(
                kind=REMINDER_KIND, key=Reminder.outbox_key(pk), recipient=email, payload={"reminder_id": pk}
            )
            for pk, email in fresh
        )
    return [pk for pk, _ in fresh]


def reminder_send(*, reminder_id, message_id=None):
    """Send one claimed reminder now (the outbox's handler calls this), unless its task has finished since:
    then it is skipped, with the reason kept on the outbox message."""
    reminder = Reminder.objects.select_related("task__timetable__project").filter(pk=reminder_id).first()
    if reminder is None:
        raise outbox.Skip("The reminder no longer exists; not sent.")
    task = reminder.task
    if task.is_finished or not task.timetable.is_current:
        raise outbox.Skip("Task finished before sending; not sent.")
    context = {"reminder": reminder, "task": task, "project": task.timetable.project}
    content = mail.render_email("procurement/email/reminder", context)
    mail.send(
        mail.payload(to=reminder.email, subject=content.subject, body=content.body, html=content.html),
        message_id=message_id,
    )


def _install_template(data, partnership=None):
    """One template of the library (``template_library``) and its steps, unless one of that name exists."""
    from .models import TemplateStep

    template, made = TimetableTemplate.objects.get_or_create(
        name=data["name"],
        defaults={
            "procedure": data["procedure"],
            "regime": data["regime"],
            "description": data["description"],
            "partnership": partnership,
        },
    )
    if not made:
        return template, False
    # One save per step (not bulk_create), so each step's history starts with its installation.
    for s in data["steps"]:
        TemplateStep.objects.create(
            template=template,
            position=s.position,
            stage=s.stage,
            activity=s.activity,
            responsible_role=s.responsibility,
            anchor=s.anchor,
            offset_months=s.offset_months,
            offset_days=s.offset_days,
            offset_unit=s.offset_unit,
            duration=s.duration,
            duration_unit=s.duration_unit,
            precision=s.precision,
            milestone=s.milestone,
            condition=s.condition,
            statutory_minimum=s.statutory_minimum,
            statutory_unit=s.statutory_unit,
            statutory_rule=s.statutory_rule,
            notes=s.notes,
            kind=s.kind,
            numbered=s.numbered,
        )
    return template, True


@transaction.atomic
def templates_install():
    """Install any shipped national template that is missing (the data migrations do the same on a fresh database)."""
    from .template_library import TEMPLATES

    return [template for template, made in (_install_template(data) for data in TEMPLATES) if made]


# --- Conflicts assessment (Procurement Act 2023 s.83) -------------------------------------------------------------

ASSESSMENT_FIELDS = ("person", "role", "finding", "details", "mitigations", "assessed_on")


@transaction.atomic
def conflict_assessment_save(*, user, project, assessment=None, expected_version=None, **fields):
    """Record (``assessment`` None) or change one person's conflicts assessment on ``project``.

    The programme team and the project's manager write it (permissions.can_assess_conflicts); a change carries the
    version the editor started from, so a second editor is told (StaleEdit) instead of overwriting. The person who
    saves is recorded as the assessor."""
    from core_groups.exceptions import NotAllowed

    from .permissions import can_assess_conflicts

    if not can_assess_conflicts(user, project):
        raise NotAllowed(
            "Only the programme team or the project manager may record this project's conflicts assessment."
        )
    if assessment is None:
        record = ConflictAssessment(project=project)
        editing.apply_fields(record, fields, fields=ASSESSMENT_FIELDS)
        record.assessed_by = user
        record.full_clean()
        record.save()
        return record
    record = ConflictAssessment.objects.select_for_update().get(pk=assessment.pk, project=project)
    editing.check_version(record, expected_version, noun="conflicts assessment")
    record.assessed_by = user
    return editing.save_version(record, fields, fields=ASSESSMENT_FIELDS)


# --- Underspend policy adoption (a decision bound to the figures adopted) ---------------------------------------

UNDERSPEND_FIELDS = ("programme", "effective_from", "name", "commissioning_pct", "discretion_pct", "discretion_floor")


def underspend_change_refusal(policy):
    """Why the (unsaved) changes to ``policy`` may not be saved, or ''. The figures of an adopted (active) policy
    are bound to its adoption: changing them is refused, naming the adoption and who made it; making it inactive
    first ends the adoption visibly (kept on record, superseded), and a new option can then be adopted."""
    from core_groups.decisions import changed_fields, decided_values
    from core_groups.models import Decision
    from core_groups.services import decided_change_refusal, decision_in_force

    if policy.pk is None or not policy.is_active:
        return ""
    decision = decision_in_force(policy, Decision.Kind.UNDERSPEND_POLICY)
    if decision is None:
        return ""
    changed = changed_fields(decision.decided_values, decided_values(policy, UNDERSPEND_FIELDS))
    if not changed:
        return ""
    return decided_change_refusal(
        decision,
        changed,
        remedy="Make it inactive first (the adoption is then kept on record as ended), or add a new option and "
        "adopt that.",
    )


@transaction.atomic
def underspend_policy_save(*, user, policy):
    """Save ``policy`` (the admin's edit): adopting it (active) records a decision bound to its figures; making an
    adopted policy inactive ends that decision (kept, superseded); changing an adopted policy's figures is refused."""
    from core_groups.decisions import decided_values
    from core_groups.models import Decision
    from core_groups.services import decision_in_force, record_decision, supersede_decision

    was_active = (
        policy.pk is not None
        and UnderspendPolicy.objects.select_for_update().filter(pk=policy.pk, is_active=True).exists()
    )
    refusal = underspend_change_refusal(policy)
    if refusal:
        raise ValidationError(refusal)
    policy.full_clean()
    policy.save()
    decision = decision_in_force(policy, Decision.Kind.UNDERSPEND_POLICY)
    if policy.is_active and (decision is None or not was_active):
        record_decision(
            subject=policy,
            kind=Decision.Kind.UNDERSPEND_POLICY,
            outcome=Decision.Outcome.ADOPTED,
            decided_by=user,
            decided_on=timezone.localdate(),
            subject_version=policy.history.count(),
            values=decided_values(policy, UNDERSPEND_FIELDS),
            deciding_body=policy.programme.decided_by or "Joint Commissioning Group",
        )
    elif not policy.is_active and decision is not None:
        today = timezone.localdate()
        who = user.display_name if user is not None and user.is_authenticated else "Someone"
        supersede_decision(decision, by=user, reason=f"{who} made the policy inactive on {today.day} {today:%B %Y}.")
    return policy


@transaction.atomic
def leeds_template_install(*, partnership):
    """The Leeds partnership's own template (Neighbourhood Networks Review, timetable v10), not a national one:
    the Leeds demo project is drawn from it. Returns the template (made, or found by its name)."""
    from .template_library import LEEDS_TEMPLATE

    return _install_template(LEEDS_TEMPLATE, partnership=partnership)[0]
