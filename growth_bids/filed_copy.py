"""The bid as filed, as a PDF: drawn with WeasyPrint from the revision kept when it was submitted (or changed
after), the frozen copy the evaluators read. Sent with the receipt (rendered by the worker when the email goes,
foundation.mail.attachment_renderer) and downloadable from the bid's page by whoever may read the bid.

Fonts are the Debian packages fonts-dejavu and fonts-liberation, found through fontconfig; nothing is fetched:
the document has no images or links to load.
"""

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from foundation import mail

from .models import Bid, BidRevision

RENDERER = "growth_bids.bid_filed_copy"

FIELD_LABELS = [
    ("title", "Title of the proposal"),
    ("contact_names", "Main contact names"),
    ("contact_email", "Contact email"),
    ("contact_phone", "Contact phone"),
    ("summary", "Summary of the proposal"),
    ("client_group", "Primary client group"),
    ("service_users", "Service users supported at any one time"),
    ("hours_per_week", "Support hours per service user per week"),
    ("annual_amount", "Annual amount (£)"),
    ("start_date", "Proposed start date"),
]


def _refuse_fetch(url, *args, **kwargs):
    raise ValueError(f"The filed copy of a bid loads nothing from outside: {url}")


def filename(bid):
    return f"{bid.reference}-as-filed.pdf".replace("/", "-")


def latest_revision(bid):
    return bid.revisions.order_by("-number").first()


def render_html(revision):
    bid = Bid.objects.select_related("funding_round__programme", "applicant").get(pk=revision.bid_id)
    data = revision.data
    questions = {c.code: c.question for c in bid.funding_round.criteria.all()}
    statements = [
        (code, questions.get(code, ""), text)
        for code, text in sorted((data.get("statements") or {}).items(), key=lambda item: item[0])
    ]
    context = {
        "bid": bid,
        "round": bid.funding_round,
        "revision": revision,
        "title": data.get("title") or "",
        "fields": [(label, data.get(key)) for key, label in FIELD_LABELS],
        "districts": data.get("districts") or [],
        "outcomes": data.get("outcomes") or [],
        "statements": statements,
        "filed_at": timezone.localtime(revision.created_at),
    }
    return render_to_string("growth_bids/pdf/bid_filed.html", context)


def render_pdf(revision):
    """The PDF bytes of ``revision`` (a BidRevision)."""
    return HTML(string=render_html(revision), url_fetcher=_refuse_fetch).write_pdf()


def attachment(revision):
    """The receipt's attachment: rendered by the worker when the email is sent."""
    return {
        "render": RENDERER,
        "revision_id": revision.pk,
        "filename": filename(revision.bid),
        "mimetype": "application/pdf",
    }


@mail.attachment_renderer(RENDERER)
def _render_attachment(spec):
    return render_pdf(BidRevision.objects.get(pk=spec["revision_id"]))
