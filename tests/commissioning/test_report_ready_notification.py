"""A report asked for is ready: the person who asked is told once, in the app and by email (issue 15)."""

import pytest
from django.urls import reverse

from commissioning.models import Rendering
from commissioning.notifications import REPORT_READY
from commissioning.reports import services
from foundation.models import Notification, OutboxMessage
from tests.commissioning.report_factories import highlight_report


@pytest.mark.django_db
def test_the_person_who_asked_for_a_render_is_told_it_is_ready(personas, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://reports.example.gov.uk"
    report = highlight_report(user=personas.evaluator)
    with django_capture_on_commit_callbacks(execute=True):
        rendering, _ = services.rendering_request(report=report, user=personas.evaluator)
    rendering.refresh_from_db()
    assert rendering.status == Rendering.Status.READY
    notes = Notification.objects.filter(kind=REPORT_READY.name)
    assert list(notes.values_list("recipient__username", "link")) == [
        ("evaluator", reverse("reports:detail", args=[report.pk]))
    ]
    emails = OutboxMessage.objects.filter(key__startswith=f"notifications.{REPORT_READY.name}:")
    assert list(emails.values_list("recipient", flat=True)) == [personas.evaluator.email]
    body = emails.get().payload["body"]
    assert f"https://reports.example.gov.uk/reports/renderings/{rendering.pk}/download/" in body
    assert f"https://reports.example.gov.uk/reports/{report.pk}/" in body
    # Running it again renders nothing and tells nobody again.
    services.rendering_run(rendering_id=rendering.pk)
    assert notes.count() == 1 and emails.count() == 1
