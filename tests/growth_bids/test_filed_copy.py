"""The receipt carries a PDF of the bid as filed (issue 15), drawn by WeasyPrint from the revision the
evaluators read; the same copy downloads from the bid's page for whoever may read the submitted bid."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from foundation import outbox
from foundation.models import OutboxMessage
from growth_bids import filed_copy, notifications, services
from tests.growth_bids.helpers import bid_data, make_round

pytestmark = pytest.mark.django_db


def text_of(pdf_bytes):
    assert pdf_bytes.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf_bytes))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture
def filed(personas):
    funding_round = make_round()
    data = bid_data(funding_round, title="Floating support for care leavers")
    data["statements"] = {c.code: f"Our evidence for criterion {c.code}." for c in funding_round.criteria.all()}
    bid = services.bid_create(funding_round=funding_round, by=personas.officer, data=data)
    return services.bid_submit(bid=bid, by=personas.officer, version=bid.version)


def test_the_receipt_carries_the_bid_as_filed_as_a_pdf(personas, filed, mailoutbox):
    receipt = OutboxMessage.objects.get(
        key__startswith=f"notifications.{notifications.BID_SUBMITTED.name}:", recipient=personas.officer.email
    )
    # Queued with a renderer, not bytes: the request that submits never draws a PDF.
    (spec,) = receipt.payload["attachments"]
    assert spec["render"] == filed_copy.RENDERER and spec["mimetype"] == "application/pdf"
    assert "A PDF copy of the bid as filed is attached." in receipt.payload["body"]
    outbox.dispatch()
    (email,) = [m for m in mailoutbox if m.to == [personas.officer.email] and filed.reference in m.subject]
    ((name, content, mimetype),) = email.attachments
    assert (name, mimetype) == (f"{filed.reference}-as-filed.pdf", "application/pdf")
    text = text_of(content)
    assert f"{filed.reference}: Floating support for care leavers" in text
    assert "Kent County Council" in text
    assert "Our evidence for criterion a." in text and "Our evidence for criterion g." in text
    assert "olivia@example.gov.uk" in text and "150000" in text
    assert "revision 1" in text


def test_the_copy_is_the_revision_filed_not_what_the_bid_says_later(personas, filed):
    revision = filed.revisions.get()
    services.bid_update(bid=filed, by=personas.officer, version=filed.version, data={"title": "A new title"})
    first = text_of(filed_copy.render_pdf(revision))
    assert "Floating support for care leavers" in first and "A new title" not in first


@pytest.mark.parametrize(
    ("who", "status"),
    [("officer", 200), ("other_officer", 200), ("evaluator", 200), ("body", 200), ("provider", 404), ("member", 404)],
)
def test_the_copy_downloads_for_whoever_may_read_the_submitted_bid(client, personas, filed, who, status):
    from growth_bids.models import SupportRequest

    SupportRequest.objects.create(bid=filed, organisation=personas.other, status=SupportRequest.Status.CONFIRMED)
    client.force_login(personas[who])
    response = client.get(reverse("growth_bids:bid_filed_copy", args=[filed.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert f'filename="{filed.reference}-as-filed.pdf"' in response["Content-Disposition"]
        assert filed.reference in text_of(response.content)


def test_a_draft_has_no_filed_copy_and_the_page_offers_one_once_filed(client, personas, filed):
    funding_round = filed.funding_round
    draft = services.bid_create(funding_round=funding_round, by=personas.officer, data={"title": "Unfinished"})
    client.force_login(personas.officer)
    assert client.get(reverse("growth_bids:bid_filed_copy", args=[draft.pk])).status_code == 404
    link = reverse("growth_bids:bid_filed_copy", args=[filed.pk])
    assert link in client.get(reverse("growth_bids:bid_detail", args=[filed.pk])).content.decode()
    assert link not in client.get(reverse("growth_bids:bid_detail", args=[draft.pk])).content.decode()
