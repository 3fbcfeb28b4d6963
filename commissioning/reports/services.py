"""Every write to board reports and their renderings.

Rendering a report is a three-step affair: ``rendering_request`` (in the web request: a queued row and its
outbox message, in one transaction), ``rendering_run`` (in a worker, called by the outbox's handler:
snapshot, PDF bytes, then one save to storage), and ``rendering_sweep_stale`` (a render whose worker died,
or whose outbox message failed for good, is marked failed, so it can be retried). A render asked for while
the broker is down waits in the outbox and starts when it is back; it is never timed out for waiting.
"""

import datetime as dt
import hashlib
import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from foundation import editing, outbox
from foundation.models import OutboxMessage

from ..models import BoardReport, Rendering, rendering_upload_to
from . import permissions
from .exceptions import NotAllowed, ReportError

logger = logging.getLogger(__name__)

REPORT_FIELDS = [
    "kind",
    "programme",
    "title",
    "senior_responsible_officer",
    "project_manager",
    "period_start",
    "period_end",
    "financial_year",
    "board",
    "meeting_date",
    "classification",
    "background",
    "issues",
    "actions",
    "equity_and_transparency",
    "recent_achievements",
    "next_steps",
    "recommendations",
    "financial_implications",
    "legal_implications",
    "equality_implications",
    "contact_officer",
    "background_papers",
    "sections",
    "edition",
    "funding_round",
]


def stale_after():
    """How long a render may be 'rendering' before it is taken to have died with its worker."""
    limit = getattr(settings, "REPORT_RENDER_STALE_SECONDS", None)
    if limit is None:
        limit = int(getattr(settings, "CELERY_TASK_TIME_LIMIT", 360) or 360) + 60
    return dt.timedelta(seconds=limit)


RENDER_KIND = "commissioning.render_report"


def outbox_key(rendering_id):
    return f"commissioning.render:{rendering_id}"


def _enqueue(rendering):
    outbox.enqueue(kind=RENDER_KIND, key=outbox_key(rendering.pk), payload={"rendering_id": rendering.pk})


def _check_projects(report, projects):
    if report.kind == BoardReport.Kind.TIMETABLE and not projects:
        raise ValidationError({"projects": "Choose the procurement timetable to print."})


@transaction.atomic
def report_create(*, user, projects=(), **fields):
    if not permissions.can_create_report(user):
        raise NotAllowed("Only the programme team writes board reports.")
    report = BoardReport(created_by=user, **{k: v for k, v in fields.items() if k in REPORT_FIELDS})
    report.full_clean()
    _check_projects(report, projects)
    report.save()
    report.projects.set(projects)
    return report


@transaction.atomic
def report_update(*, report, user, version, projects=None, **fields):
    """Save changes made by someone who opened the report at ``version``; refuse if it moved on since."""
    if not permissions.can_edit_report(user, report):
        raise NotAllowed("You may not edit this report.")
    current = BoardReport.objects.select_for_update().get(pk=report.pk)
    editing.check_version(current, version, noun="report")
    # Other keys are ignored: the report's form carries more than this service sets.
    editing.apply_fields(current, {k: v for k, v in fields.items() if k in REPORT_FIELDS}, fields=REPORT_FIELDS)
    current.full_clean()
    if projects is not None:
        _check_projects(current, projects)
    elif current.kind == BoardReport.Kind.TIMETABLE:
        _check_projects(current, list(current.projects.all()))
    editing.save_version(current, clean=False)  # cleaned above, before the projects are checked
    if projects is not None:
        current.projects.set(projects)
    return current


@transaction.atomic
def rendering_request(*, report, user, edition=None):
    """Ask for a PDF. Returns (rendering, joined): joined is True when a render of this edition was
    already queued or under way, which the caller then shares rather than starting another."""
    if not permissions.can_render_report(user, report):
        raise NotAllowed("Only the programme team renders board reports.")
    edition = edition or report.edition
    if edition not in BoardReport.Edition.values:
        raise ReportError(f"Unknown edition: {edition}")
    # The report's row lock makes two requests at once take turns; the partial unique constraint
    # is the backstop should anything bypass it.
    report = BoardReport.objects.select_for_update().get(pk=report.pk)
    rendering_sweep_stale(report=report)
    existing = report.renderings.active().filter(edition=edition).first()
    if existing:
        return existing, True
    try:
        with transaction.atomic():
            rendering = Rendering.objects.create(
                report=report, edition=edition, requested_by=user, report_version=report.version
            )
    except IntegrityError:
        return report.renderings.active().get(edition=edition), True
    _enqueue(rendering)
    return rendering, False


def rendering_retry(*, rendering, user):
    if rendering.status != Rendering.Status.FAILED:
        raise ReportError("Only a failed render can be tried again.")
    return rendering_request(report=rendering.report, user=user, edition=rendering.edition)


def _fail(rendering_id, reason):
    Rendering.objects.filter(pk=rendering_id, status__in=Rendering.ACTIVE).update(
        status=Rendering.Status.FAILED, reason=reason[:1000], finished_at=timezone.now()
    )


def _progress_of(rendering_id):
    """Records how many parts of a big pack are done, for the page that polls (a pack in one part: 1 of 1)."""

    def progress(done, total):
        Rendering.objects.filter(pk=rendering_id, status=Rendering.Status.RENDERING).update(
            parts_done=done, parts_total=total
        )

    return progress


def rendering_run(*, rendering_id):
    """Render one queued rendering (called by the Celery task). Safe to call twice: the second does nothing."""
    from .pdf import render_report_pdf
    from .snapshot import build_snapshot

    with transaction.atomic():
        rendering = (
            Rendering.objects.select_for_update().select_related("report__programme").filter(pk=rendering_id).first()
        )
        if rendering is None or rendering.status != Rendering.Status.QUEUED:
            return None
        rendering.status = Rendering.Status.RENDERING
        rendering.started_at = timezone.now()
        rendering.save(update_fields=["status", "started_at"])
    report = rendering.report
    try:
        snapshot = build_snapshot(report, rendering.edition)
        # The whole PDF is made in memory first: a render that fails leaves no half-written file behind.
        pdf, pages = render_report_pdf(snapshot, progress=_progress_of(rendering_id))
    except SoftTimeLimitExceeded:
        _fail(rendering_id, "The render took too long and was stopped. Try again, or choose fewer sections.")
        return None
    except Exception as exc:  # noqa: BLE001 - any renderer failure is reported on the page, not lost
        logger.exception("Rendering %s failed", rendering_id)
        _fail(rendering_id, f"The PDF could not be made: {exc.__class__.__name__}: {exc}")
        return None

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    name = default_storage.save(
        rendering_upload_to(rendering, f"report-{report.pk}-{rendering.edition}-{rendering.pk}-{stamp}.pdf"),
        ContentFile(pdf),
    )
    try:
        with transaction.atomic():
            updated = Rendering.objects.filter(pk=rendering_id, status__in=Rendering.ACTIVE + [Rendering.Status.FAILED])
            count = updated.update(
                status=Rendering.Status.READY,
                reason="",
                file=name,
                size=len(pdf),
                sha256=hashlib.sha256(pdf).hexdigest(),
                page_count=pages,
                snapshot=snapshot,
                finished_at=timezone.now(),
            )
            if count:
                # In the same transaction: if the render is recorded ready, its requester will be told.
                from ..notifications import tell_report_ready

                tell_report_ready(rendering_id)
        if not count:
            # The rendering was deleted while we worked: keep no file that nothing points to.
            default_storage.delete(name)
            return None
    except Exception:
        default_storage.delete(name)
        raise
    return Rendering.objects.get(pk=rendering_id)


def rendering_sweep_stale(*, report=None, now=None):
    """Mark as failed the renders whose worker died (rendering too long) or that the outbox gave up on.

    A queued render whose outbox message still waits (the broker is down, say) is left waiting: it starts
    when a worker can take it. One queued from before the outbox (no message) is given one."""
    now = now or timezone.now()
    qs = Rendering.objects.all() if report is None else Rendering.objects.filter(report=report)
    died = qs.filter(status=Rendering.Status.RENDERING, started_at__lt=now - stale_after()).update(
        status=Rendering.Status.FAILED,
        reason="The renderer stopped before it finished (its worker may have been restarted). Try again.",
        finished_at=now,
    )
    queued = {outbox_key(pk): pk for pk in qs.filter(status=Rendering.Status.QUEUED).values_list("pk", flat=True)}
    if not queued:
        return died
    messages = dict(OutboxMessage.objects.filter(key__in=queued).values_list("key", "status"))
    with transaction.atomic():
        for key, pk in queued.items():
            if key not in messages:
                _enqueue(Rendering(pk=pk))
    gave_up = [pk for key, pk in queued.items() if messages.get(key) == OutboxMessage.Status.FAILED]
    abandoned = Rendering.objects.filter(pk__in=gave_up, status=Rendering.Status.QUEUED).update(
        status=Rendering.Status.FAILED,
        reason="The render could not be started after several tries. Try again; if it keeps failing, "
        "tell the administrator.",
        finished_at=now,
    )
    return died + abandoned


def mark_waiting(renderings, *, now=None, grace=dt.timedelta(seconds=60)):
    """Set ``waiting`` on each queued rendering that no worker has taken up within ``grace`` (a nudge
    normally starts it within seconds): the page then says the service is unavailable, not merely queued."""
    now = now or timezone.now()
    queued = {outbox_key(r.pk): r for r in renderings if r.status == Rendering.Status.QUEUED}
    for r in renderings:
        r.waiting = False
    if not queued:
        return renderings
    for key, attempts in OutboxMessage.objects.filter(key__in=queued, status=OutboxMessage.Status.QUEUED).values_list(
        "key", "attempts"
    ):
        rendering = queued[key]
        rendering.waiting = attempts > 0 or rendering.requested_at < now - grace
    return renderings
