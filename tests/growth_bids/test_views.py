"""The growth-bid pages: who sees what, bad input kept and explained, exports, uploads, query counts."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core_groups.models import DeclaredInterest
from growth_bids import services
from growth_bids.models import Attachment, Bid, ClientGroup, District, FundingRound, Outcome
from tests.growth_bids.helpers import bid_data, close_round, make_round, moderate, submitted_bid

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def form_post(funding_round, **overrides):
    data = bid_data(funding_round)
    post = {
        "title": data["title"],
        "contact_names": data["contact_names"],
        "contact_email": data["contact_email"],
        "contact_phone": data["contact_phone"],
        "summary": data["summary"],
        "client_group": ClientGroup.objects.get(name="Young people leaving care").pk,
        "districts": [d.pk for d in District.objects.filter(name__in=["Ashford", "Maidstone"])],
        "service_users": "30",
        "hours_per_week": "3.5",
        "annual_amount": "150000",
        "start_date": f"{funding_round.financial_year}-10-01",
        "outcomes": [o.pk for o in Outcome.objects.all()[:2]],
    }
    for criterion in funding_round.criteria.all():
        post[f"statement_{criterion.code}"] = f"Statement {criterion.code}"
    post.update(overrides)
    return {k: v for k, v in post.items() if v is not None}


@pytest.fixture
def round_(db):
    return make_round()


def test_an_officer_files_a_bid_from_a_blank_form(client, personas, round_):
    client.force_login(personas.officer)
    response = client.get(reverse("growth_bids:bid_create", args=[round_.pk]))
    assert response.status_code == 200
    response = client.post(reverse("growth_bids:bid_create", args=[round_.pk]), {"title": "Just a title", "save": ""})
    bid = Bid.objects.get()
    assert response.status_code == 302 and bid.status == "draft"
    post = form_post(round_, version=bid.version, submit="")
    response = client.post(reverse("growth_bids:bid_update", args=[bid.pk]), post)
    assert response.status_code == 302, response.content.decode()[:2000]
    bid.refresh_from_db()
    assert bid.status == "submitted"
    page = client.get(reverse("growth_bids:bid_detail", args=[bid.pk]))
    assert bid.reference in page.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("annual_amount", "0", "more than £0"),
        ("annual_amount", "-10", "more than £0"),
        ("annual_amount", "lots", "Enter a number"),
        ("service_users", "0", "At least one service user"),
        ("hours_per_week", "200", "no more than 168"),
        ("start_date", "2000-01-01", "cannot be before the financial year"),
    ],
)
def test_bad_input_is_explained_beside_the_field_and_what_was_typed_stays(
    client, personas, round_, field, value, message
):
    client.force_login(personas.officer)
    post = form_post(round_, **{field: value, "submit": ""})
    response = client.post(reverse("growth_bids:bid_create", args=[round_.pk]), post)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'value="{value}"' in html
    assert "Floating support for young people leaving care" in html
    bid = Bid.objects.get()  # what could be read is kept in a draft; the bad value is not stored
    assert bid.status == "draft" and getattr(bid, field) is None and bid.contact_phone


def test_no_district_is_explained(client, personas, round_):
    client.force_login(personas.officer)
    post = form_post(round_, submit="")
    post.pop("districts")
    response = client.post(reverse("growth_bids:bid_create", args=[round_.pk]), post)
    assert response.status_code == 200
    assert "Choose at least one district." in response.content.decode()
    assert Bid.objects.get().status == "draft"


def test_a_form_kept_open_since_before_the_close_cannot_submit(client, personas, round_):
    client.force_login(personas.officer)
    bid = services.bid_create(funding_round=round_, by=personas.officer, data={"title": "Draft"})
    FundingRound.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=5))
    post = form_post(round_, version=bid.version, submit="")
    response = client.post(reverse("growth_bids:bid_update", args=[bid.pk]), post)
    assert response.status_code == 200
    assert "submission window closed" in response.content.decode()
    bid.refresh_from_db()
    assert bid.status == "draft" and bid.title == "Draft"


def test_a_second_editor_is_told_and_nothing_is_overwritten(client, personas, round_):
    client.force_login(personas.officer)
    bid = services.bid_create(funding_round=round_, by=personas.officer, data={"title": "First"})
    services.bid_update(bid=bid, by=personas.officer, version=1, data={"title": "Second"})
    response = client.post(
        reverse("growth_bids:bid_update", args=[bid.pk]), form_post(round_, title="Mine", version=1, save="")
    )
    assert "Someone else changed this bid" in response.content.decode()
    bid.refresh_from_db()
    assert bid.title == "Second"


def test_officer_of_another_organisation_gets_404_for_a_draft(client, personas, round_):
    bid = services.bid_create(funding_round=round_, by=personas.officer, data={"title": "Secret"})
    Attachment.objects.create(
        bid=bid,
        file=SimpleUploadedFile("x.pdf", PDF),
        original_name="x.pdf",
        kind="pdf",
        content_type="application/pdf",
        size=10,
    )
    attachment = bid.attachments.get()
    client.force_login(personas.other_officer)
    for url in [
        reverse("growth_bids:bid_detail", args=[bid.pk]),
        reverse("growth_bids:bid_update", args=[bid.pk]),
        reverse("growth_bids:bid_export", args=[bid.pk]),
        reverse("growth_bids:attachment_download", args=[attachment.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("growth_bids:attachment_upload", args=[bid.pk])).status_code == 404
    assert client.post(reverse("growth_bids:bid_withdraw", args=[bid.pk])).status_code == 404
    # The programme team and the Body do not see drafts either.
    for user in (personas.evaluator, personas.body):
        client.force_login(user)
        assert client.get(reverse("growth_bids:bid_detail", args=[bid.pk])).status_code == 404


def test_a_providers_user_cannot_start_a_bid(client, personas, round_):
    client.force_login(personas.provider)
    response = client.get(reverse("growth_bids:bid_create", args=[round_.pk]))
    assert response.status_code == 404
    response = client.post(reverse("growth_bids:bid_create", args=[round_.pk]), {"title": "x"})
    assert response.status_code == 404
    assert not Bid.objects.exists()


def test_attachments_are_checked_by_content_and_served_only_to_readers(client, personas, round_, settings):
    client.force_login(personas.officer)
    bid = services.bid_create(funding_round=round_, by=personas.officer, data={})
    url = reverse("growth_bids:attachment_upload", args=[bid.pk])
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 this is an executable", content_type="application/pdf")
    response = client.post(url, {"file": fake}, follow=True)
    assert "not what its name says" in response.content.decode()
    settings.MAX_UPLOAD_SIZE = 100
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * 200, content_type="application/pdf")
    response = client.post(url, {"file": big}, follow=True)
    assert "the largest file accepted is 100 bytes" in response.content.decode()
    settings.MAX_UPLOAD_SIZE = 10 * 1024 * 1024
    good = SimpleUploadedFile("needs analysis.pdf", PDF, content_type="application/pdf")
    client.post(url, {"file": good})
    attachment = Attachment.objects.get()
    assert attachment.original_name == "needs analysis.pdf"
    assert "needs analysis" not in attachment.file.name and attachment.file.name.endswith(".pdf")
    response = client.get(reverse("growth_bids:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_docx_is_recognised_inside_its_zip():
    import zipfile

    from django.core.exceptions import ValidationError

    from foundation import uploads

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    upload = SimpleUploadedFile("plan.docx", buffer.getvalue())
    assert uploads.validate_upload(upload, uploads.DOCUMENTS, 10_000) == "docx"
    renamed = SimpleUploadedFile("plan.xlsx", buffer.getvalue())
    with pytest.raises(ValidationError, match="not what its name says"):
        uploads.validate_upload(renamed, uploads.DOCUMENTS, 10_000)


def test_a_supporter_confirms_in_the_app(client, personas, round_):
    bid = services.bid_create(funding_round=round_, by=personas.officer, data={"title": "Joint"})
    request = services.support_ask(bid=bid, organisation=personas.other, by=personas.officer)
    client.force_login(personas.other_officer)
    page = client.get(reverse("growth_bids:bid_detail", args=[bid.pk]))
    assert "Confirm our support" in page.content.decode()
    client.post(reverse("growth_bids:support_answer", args=[request.pk]), {"answer": "confirm"})
    request.refresh_from_db()
    assert request.status == "confirmed"


def test_a_support_note_with_a_nul_is_kept_without_it_not_a_500(client, personas, round_):
    bid = services.bid_create(funding_round=round_, by=personas.officer, data={"title": "Joint"})
    request = services.support_ask(bid=bid, organisation=personas.other, by=personas.officer)
    client.force_login(personas.other_officer)
    response = client.post(
        reverse("growth_bids:support_answer", args=[request.pk]), {"answer": "confirm", "note": "Yes\x00 gladly"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.note) == ("confirmed", "Yes gladly")


@pytest.fixture
def evaluated(personas):
    funding_round = make_round()
    bids = [
        submitted_bid(funding_round, personas.officer, annual_amount=Decimal(a), service_users=u, title=t)
        for t, a, u in (("A", "200000", 40), ("B", "180000", 30), ("C", "150000", 30))
    ]
    close_round(funding_round)
    for bid in bids:
        moderate(bid, personas.evaluator)
    return services.round_mark_evaluated(funding_round=funding_round), bids


def test_conflicted_evaluator_is_refused_with_the_reason(client, personas):
    funding_round = make_round()
    bid = submitted_bid(funding_round, personas.officer)
    close_round(funding_round)
    DeclaredInterest.objects.create(user=personas.evaluator, organisation=personas.home, description="Secondment")
    client.force_login(personas.evaluator)
    response = client.get(reverse("growth_bids:evaluate", args=[bid.pk]))
    assert response.status_code == 403
    assert "declared an interest" in response.content.decode()


def test_evaluator_scores_through_the_form(client, personas):
    funding_round = make_round()
    bid = submitted_bid(funding_round, personas.officer)
    close_round(funding_round)
    client.force_login(personas.evaluator)
    post = {"written_evaluation": "Strong bid.", "interest": "no_interest"}
    for c in funding_round.criteria.exclude(system_rule="two_partners"):
        post[f"met_{c.code}"] = "yes"
        post[f"reason_{c.code}"] = "Evidence given."
    post["met_b"] = ""
    response = client.post(reverse("growth_bids:moderate", args=[bid.pk]), post)
    assert response.status_code == 200 and "Say whether criterion b is met." in response.content.decode()
    post["met_b"] = "no"
    response = client.post(reverse("growth_bids:moderate", args=[bid.pk]), post)
    assert response.status_code == 302
    bid.refresh_from_db()
    assert bid.score == 5


def test_body_list_shows_the_recommendation_and_money(client, personas, evaluated):
    funding_round, (a, b, c) = evaluated
    client.force_login(personas.body)
    response = client.get(reverse("growth_bids:body_list", args=[funding_round.pk]))
    html = response.content.decode()
    assert "£450,000" in html and "£350,000" in html  # available; A and C recommended
    assert response.context["recommendation"].reserve == b.reference
    refs = [row["bid"].reference for row in response.context["rows"]]
    assert refs == [a.reference, c.reference, b.reference]
    only_reserve = client.get(reverse("growth_bids:body_list", args=[funding_round.pk]), {"recommendation": "reserve"})
    assert [row["bid"].reference for row in only_reserve.context["rows"]] == [b.reference]


def test_body_list_exports_csv_and_excel(client, personas, evaluated):
    funding_round, _bids = evaluated
    client.force_login(personas.evaluator)
    url = reverse("growth_bids:body_list", args=[funding_round.pk])
    csv_response = client.get(url, {"export": "csv"})
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "Recommendation" in csv_response.content.decode()
    xlsx = client.get(url, {"export": "xlsx"})
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 5 and sheet["A2"].value == "Reference"  # a title row first


def test_body_list_is_not_for_officers(client, personas, evaluated):
    funding_round, _bids = evaluated
    client.force_login(personas.officer)
    assert client.get(reverse("growth_bids:body_list", args=[funding_round.pk])).status_code == 404


def test_body_list_query_count_does_not_grow_with_bids(client, personas, evaluated):
    funding_round, _bids = evaluated
    client.force_login(personas.body)
    url = reverse("growth_bids:body_list", args=[funding_round.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    template = Bid.objects.filter(funding_round=funding_round).first()
    districts = list(template.districts.all())
    for i in range(30):
        extra = Bid.objects.create(
            funding_round=funding_round,
            number=100 + i,
            reference=f"GB-X-{i:03d}",
            applicant=template.applicant,
            created_by=template.created_by,
            client_group=template.client_group,
            status="submitted",
            annual_amount=Decimal("1000"),
            service_users=1,
            score=i % 7,
            eligible=True,
            submitted_at=timezone.now(),
        )
        extra.districts.set(districts)
    client.get(url)  # the new bids forgot the cached ranking: both counts are read with it cached again
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_decision_that_would_overspend_is_explained(client, personas, evaluated):
    funding_round, (a, b, c) = evaluated
    services.decision_record(
        reason="As minuted by the Body.",
        bid=a,
        by=personas.body,
        outcome="funded",
        amount=Decimal("200000"),
        meeting_date=timezone.localdate(),
    )
    services.decision_record(
        reason="As minuted by the Body.",
        bid=c,
        by=personas.body,
        outcome="funded",
        amount=Decimal("150000"),
        meeting_date=timezone.localdate(),
    )
    client.force_login(personas.body)
    post = {
        "outcome": "funded",
        "amount": "180000",
        "meeting_date": "2010-09-20",
        "minute_ref": "CB/1",
        "interest": "no_interest",
    }
    response = client.post(reverse("growth_bids:decide", args=[b.pk]), post)
    assert response.status_code == 200
    html = response.content.decode()
    assert "would overspend" in html and 'value="180000"' in html
    response = client.post(reverse("growth_bids:decide", args=[b.pk]), {**post, "outcome": "reserve"})
    assert response.status_code == 302
    response = client.post(reverse("growth_bids:decide", args=[a.pk]), {**post, "outcome": "reserve"})
    assert "already has a reserve" in response.content.decode()


def test_conflicted_member_cannot_open_the_decision_form(client, personas, evaluated):
    _round, (a, _b, _c) = evaluated
    DeclaredInterest.objects.create(user=personas.body, organisation=personas.home, description="Councillor")
    client.force_login(personas.body)
    response = client.get(reverse("growth_bids:decide", args=[a.pk]))
    assert response.status_code == 403 and "declared an interest" in response.content.decode()


def test_published_outcome_shows_on_the_applicants_dashboard(client, personas, evaluated):
    funding_round, (a, b, c) = evaluated
    for bid, outcome, amount in ((a, "funded", Decimal("200000")), (b, "reserve", None), (c, "not_funded", None)):
        services.decision_record(
            reason="As minuted by the Body.",
            bid=bid,
            by=personas.body,
            outcome=outcome,
            amount=amount,
            meeting_date=timezone.localdate(),
        )
    services.round_publish_decisions(funding_round=funding_round, by=personas.body)
    client.force_login(personas.officer)
    html = client.get(reverse("home")).content.decode()
    assert "Funded £200,000" in html and "Reserve" in html


def test_round_pages_for_the_team(client, personas):
    client.force_login(personas.evaluator)
    response = client.post(
        reverse("growth_bids:round_create"),
        {
            "programme": make_round(open_it=False).programme_id,
            "financial_year": 2011,
            "growth_money": "-5",
            "holdback_pct": "10",
            "opens_on": "2011-06-01",
        },
    )
    assert response.status_code == 200 and "cannot be negative" in response.content.decode()
    assert client.get(reverse("growth_bids:round_list")).status_code == 200


def test_the_team_edits_and_opens_a_round_in_the_browser(client, personas):
    funding_round = make_round(open_it=False)
    client.force_login(personas.evaluator)
    edit = reverse("growth_bids:round_update", args=[funding_round.pk])
    assert client.get(edit).status_code == 200
    response = client.post(reverse("growth_bids:round_action", args=[funding_round.pk, "open"]), follow=True)
    assert "open for bids" in response.content.decode()
    funding_round.refresh_from_db()
    assert funding_round.status == "open"
    client.force_login(personas.officer)
    assert client.post(reverse("growth_bids:round_action", args=[funding_round.pk, "close"])).status_code == 403


def test_officers_do_not_see_draft_rounds(client, personas):
    funding_round = make_round(open_it=False)
    client.force_login(personas.officer)
    assert client.get(reverse("growth_bids:round_detail", args=[funding_round.pk])).status_code == 404


def test_a_partner_gives_notice_of_intent_and_the_team_sees_it(client, personas, round_):
    client.force_login(personas.officer)
    url = reverse("growth_bids:notice_create", args=[round_.pk])
    response = client.post(url, {"proposal": "", "writers": ""})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    client.post(url, {"proposal": "Young people leaving care", "writers": "Olivia Officer"})
    client.force_login(personas.evaluator)
    html = client.get(reverse("growth_bids:round_detail", args=[round_.pk])).content.decode()
    assert "Young people leaving care" in html and "Olivia Officer" in html


def test_admin_pages_for_reference_data_and_rounds(client, personas, round_):
    client.force_login(personas.admin)
    for name in ["district", "clientgroup", "outcome", "fundinground", "bid", "decision", "evaluation"]:
        assert client.get(f"/admin/growth_bids/{name}/").status_code == 200, name
    assert client.get(f"/admin/growth_bids/fundinground/{round_.pk}/change/").status_code == 200
    from growth_bids.models import District as D

    assert D.objects.count() == 12


def test_body_list_filters_and_sorts(client, personas, evaluated):
    funding_round, (a, b, c) = evaluated
    services.decision_record(
        reason="As minuted by the Body.",
        bid=a,
        by=personas.body,
        outcome="funded",
        amount=Decimal("200000"),
        meeting_date=timezone.localdate(),
    )
    client.force_login(personas.body)
    url = reverse("growth_bids:body_list", args=[funding_round.pk])

    def refs(**params):
        return [row["bid"].reference for row in client.get(url, params).context["rows"]]

    assert refs(decision="funded") == [a.reference]
    assert refs(decision="none") == [c.reference, b.reference]
    assert refs(recommendation="fund") == [a.reference, c.reference]
    assert refs(organisation=personas.home.pk, sort="-amount") == [a.reference, b.reference, c.reference]
    assert refs(sort="amount") == [c.reference, b.reference, a.reference]
    assert refs(min_score=8) == []
    assert refs(client_group=ClientGroup.objects.get(name="Young people leaving care").pk, sort="reference") == [
        a.reference,
        b.reference,
        c.reference,
    ]
    assert refs(district=District.objects.get(name="Thanet").pk) == []
    # Nonsense in the query string is ignored, never a 500.
    assert client.get(url, {"min_score": "lots", "sort": "drop table", "page": "x"}).status_code == 200


def test_round_is_created_with_a_proposed_timetable(client, personas):
    from tests.growth_bids.helpers import programme

    client.force_login(personas.evaluator)
    response = client.post(
        reverse("growth_bids:round_create"),
        {
            "programme": programme().pk,
            "financial_year": 2011,
            "growth_money": "500000",
            "holdback_pct": "10",
            "opens_on": "2011-06-01",
        },
    )
    funding_round = FundingRound.objects.get(financial_year=2011)
    assert response.status_code == 302
    assert funding_round.submissions_by == dt.date(2011, 7, 20)
    assert funding_round.criteria.count() == 7
