"""The events of the top layer people are told of (foundation/notifications.py): a report they asked for is ready."""

from django.urls import reverse

from foundation import notifications

from .models import Rendering

REPORT_READY = notifications.register(
    "commissioning.report_ready",
    "A report you asked for is ready",
    template="commissioning/email/report_ready",
    order=60,
    fields=("rendering", "report", "download_path"),
)


def tell_report_ready(rendering_id):
    """Tell the person who asked for a render that its PDF is ready (nobody, if they have since left)."""
    rendering = Rendering.objects.select_related("report", "requested_by").get(pk=rendering_id)
    if rendering.requested_by is None:
        return None
    return notifications.notify(
        REPORT_READY,
        rendering,
        [rendering.requested_by],
        {
            "rendering": rendering,
            "report": rendering.report,
            "download_path": reverse("reports:download", args=[rendering.pk]),
        },
        reverse("reports:detail", args=[rendering.report_id]),
        reason="you asked for this report to be rendered",
    )
