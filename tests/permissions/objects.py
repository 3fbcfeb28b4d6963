"""Builders for the records a URL's kwargs point at, owned so that each persona has its part to play.

Every builder takes the personas (tests.factories.make_personas()) and returns one saved object. The
"owning organisation" is personas.home (the officer's and the member's organisation); the core group
below has the member and the provider user in it. A builder caches its object on the personas, so two
URLs of one rule (or one kwargs and one POST payload) share the same record.

Add builders here as the apps land (bid, round, project, timetable, report ...), then use them in
expectations.py: ``kwargs=lambda p: {"pk": objects.core_group(p).pk}``.
"""

from django.utils import timezone

from tests import factories


def _cached(build):
    def wrapper(p):
        cache = p.setdefault("_objects", {})
        if build.__name__ not in cache:
            cache[build.__name__] = build(p)
        return cache[build.__name__]

    wrapper.__name__ = build.__name__
    wrapper.__doc__ = build.__doc__
    wrapper.builder = True
    return wrapper


# --- core_groups ------------------------------------------------------------------------------


@_cached
def programme(p):
    return factories.ProgrammeFactory(name="Supporting People", lead_organisation=p.home)


@_cached
def core_group(p):
    """A core group with the member (owning organisation) and the provider user in it."""
    group = factories.CoreGroupFactory(programme=programme(p), name="Young people")
    factories.MembershipFactory(core_group=group, user=p.member, role="Chair")
    factories.MembershipFactory(core_group=group, user=p.provider, role="Member")
    return group


@_cached
def commission(p):
    """A single-tender commission of the group, with a business case for the JCG to decide."""
    from core_groups.models import Commission

    return factories.CommissionFactory(
        core_group=core_group(p),
        title="Floating support",
        lead_officer=p.member,
        route=Commission.Route.SINGLE_TENDER,
        business_case="Only one provider can start by April.",
    )


@_cached
def allocation(p):
    return factories.AllocationFactory(core_group=core_group(p), financial_year=2010)


@_cached
def risk(p):
    return factories.RiskFactory(core_group=core_group(p), programme=programme(p), title="Provider failure")


@_cached
def interest(p):
    """The member's declared interest in the provider organisation."""
    return factories.DeclaredInterestFactory(user=p.member, organisation=p.provider_org)


# --- partnerships -----------------------------------------------------------------------------


@_cached
def service_area(p):
    from partnerships.models import ServiceArea

    area, _ = ServiceArea.objects.get_or_create(
        code="advocacy", defaults={"name": "Advocacy", "shared_cost_per_contract": "27289.00"}
    )
    return area


@_cached
def shared_option(p):
    from partnerships.models import SharedOption

    option, _ = SharedOption.objects.get_or_create(
        kind="aligned_budgets", defaults={"name": "Aligned budgets with a lead commissioner", "order": 1}
    )
    return option


@_cached
def arrangement(p):
    """A contract the owning organisation funds with the provider's organisation."""
    import datetime

    from partnerships.models import FundingArrangement
    from tests.factories import home_partnership

    return FundingArrangement.objects.create(
        partnership=home_partnership(),
        reference="KCC-001",
        funder=p.home,
        provider=p.provider_org,
        arrangement_type=FundingArrangement.Type.CONTRACT,
        service_area=service_area(p),
        title="Advocacy for young people",
        annual_value="12000.00",
        start_date=datetime.date(2009, 4, 1),
        end_date=datetime.date(2012, 3, 31),
    )


@_cached
def preference(p):
    """The owning organisation's choice of aligned budgets for the service, with its annual contribution."""
    from partnerships.models import PartnerPreference

    preference = PartnerPreference(
        partner=p.home,
        service_area=service_area(p),
        option=shared_option(p),
        annual_contribution="12000.00",
        recorded_by=p.officer,
    )
    preference.full_clean()
    preference.save()
    return preference


# --- review -----------------------------------------------------------------------------------


@_cached
def reviewed_service(p):
    """A commission of the group provided by the provider persona's organisation, with one measure."""
    import datetime

    from review import services
    from review.models import Measure

    service = factories.CommissionFactory(
        core_group=core_group(p),
        title="Carers' support SLA",
        provider=p.provider_org,
        indicative_start=datetime.date(2011, 4, 1),
        indicative_end=datetime.date(2013, 3, 31),
    )
    services.measure_create(
        programme=programme(p), commission=service, title="Carers supported", unit=Measure.Unit.NUMBER
    )
    return service


@_cached
def service_measure(p):
    return reviewed_service(p).measures.get()


@_cached
def meeting(p):
    """A steering group meeting of the programme: the member came, the officer sent apologies."""
    import datetime

    from review import services

    return services.meeting_record(
        programme=programme(p),
        body="steering_group",
        held_on=datetime.date(2011, 5, 10),
        attendance={p.member: "attended", p.officer: "apologies"},
    )


@_cached
def minute_item(p):
    """The first numbered item of the steering group meeting's minutes."""
    from review import services

    return services.minute_item_add(user=p.evaluator, meeting=meeting(p), title="Carers' SLAs: measures")


@_cached
def review_action(p):
    """An action of the programme's plan, owned by the officer persona."""
    import datetime

    from review import services

    return services.action_create(
        user=p.evaluator,
        programme=programme(p),
        title="Hold the Borough workshop",
        owner=p.officer,
        due_on=datetime.date(2011, 12, 31),
    )


@_cached
def review_contract(p):
    """A contract of the programme's register, held by the provider persona's organisation."""
    import datetime
    from decimal import Decimal

    from review import services

    return services.contract_create(
        user=p.evaluator,
        programme=programme(p),
        title="Carers' respite contract",
        supplier=p.provider_org,
        value=Decimal("240000.00"),
        start_on=datetime.date(2024, 4, 1),
        end_on=datetime.date(2027, 3, 31),
        manager=p.officer,
    )


@_cached
def service_return(p):
    """The provider persona's submitted return for the first quarter of their service."""
    import datetime

    from review import services

    service = reviewed_service(p)
    measure = service.measures.get()
    return services.return_submit(
        user=p.provider,
        commission=service,
        period_start=datetime.date(2011, 4, 1),
        period_end=datetime.date(2011, 6, 30),
        values={measure.pk: "12"},
    )


# --- procurement ------------------------------------------------------------------------------


@_cached
def project(p):
    """A procurement project led by the owning organisation, managed by its officer, drawn from a template."""
    import datetime

    from procurement import services
    from procurement.models import TimetableTemplate

    services.templates_install()
    template = TimetableTemplate.objects.filter(procedure="open", is_active=True).order_by("name").first()
    return services.project_create(
        title="Neighbourhood Networks",
        reference="KCC-P1",
        procedure="open",
        lead_organisation=p.home,
        contract_start=datetime.date(2030, 4, 1),
        template=template,
        project_manager=p.officer,
    )


@_cached
def conflict_assessment(p):
    """One person's conflicts assessment on the project (Procurement Act 2023 s.83)."""
    from procurement.models import ConflictAssessment

    return ConflictAssessment.objects.create(
        project=project(p), person="Evaluation panel chair", finding="none", assessed_by=p.officer
    )


@_cached
def spend_entry(p):
    import datetime

    return factories.SpendEntryFactory(
        core_group=allocation(p).core_group, spent_on=datetime.date(2010, 6, 1), recorded_by=p.member
    )


# --- growth_bids ------------------------------------------------------------------------------


@_cached
def funding_round(p):
    """An open round (the submission window runs for ten more days)."""
    from tests.growth_bids.helpers import make_round

    return make_round()


@_cached
def bid(p):
    """The owning organisation's submitted bid, supported by the other council (asked and confirmed)."""
    from growth_bids import services
    from tests.growth_bids.helpers import bid_data

    round_ = funding_round(p)
    draft = services.bid_create(funding_round=round_, by=p.officer, data=bid_data(round_))
    asked = services.support_ask(bid=draft, organisation=p.other, by=p.officer)
    services.support_answer(support_request=asked, by=p.other_officer, confirm=True)
    return services.bid_submit(bid=draft, by=p.officer, version=draft.version)


@_cached
def support_request(p):
    """A request, still unanswered, from the owning organisation's draft bid to the other council."""
    from growth_bids import services
    from tests.growth_bids.helpers import bid_data

    round_ = funding_round(p)
    draft = services.bid_create(funding_round=round_, by=p.officer, data=bid_data(round_, title="Second bid"))
    return services.support_ask(bid=draft, organisation=p.other, by=p.officer)


@_cached
def attachment(p):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from growth_bids import services

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    upload = SimpleUploadedFile("plan.pdf", pdf, content_type="application/pdf")
    return services.attachment_add(bid=bid(p), upload=upload, by=p.officer)


@_cached
def funded_bid(p):
    """The owning organisation's bid in last year's round, supported by the other council, funded by the Body."""
    import datetime as dt
    from decimal import Decimal

    from core_groups.financial_year import fy_for_date
    from growth_bids import services
    from growth_bids.models import Bid
    from tests.growth_bids.helpers import close_round, make_round, moderate, submitted_bid

    round_ = make_round(year=fy_for_date(timezone.localdate()) - 1)
    bid = submitted_bid(round_, p.officer, supporters=[(p.other, p.other_officer)], title="Supported lodgings")
    close_round(round_)
    moderate(bid, p.evaluator)
    services.round_mark_evaluated(funding_round=round_)
    services.decision_record(
        reason="As minuted by the Body.",
        bid=bid,
        by=p.body,
        outcome="funded",
        amount=Decimal("140000"),
        meeting_date=dt.date(2010, 9, 20),
        minute_ref="7",
    )
    return Bid.objects.get(pk=bid.pk)


def timetable_template(p):
    from procurement import services
    from procurement.models import TimetableTemplate

    services.templates_install()
    return TimetableTemplate.objects.filter(procedure="open", is_active=True).order_by("name").first()


# --- procurement: a task of the project ---------------------------------------------------------


@_cached
def task(p):
    """The first task of the project's current timetable; the member is the person responsible for it."""
    from procurement.models import Task

    first = Task.objects.filter(timetable__project=project(p), timetable__is_current=True).order_by("number").first()
    Task.objects.filter(pk=first.pk).update(responsible_user=p.member)
    first.refresh_from_db()
    return first


# --- commissioning: board reports -----------------------------------------------------------------


@_cached
def board_report(p):
    """A highlight report on the core group's programme (so the member and the provider's user read it)."""
    from tests.commissioning.report_factories import highlight_report

    return highlight_report(programme=core_group(p).programme, user=p.evaluator)


def _rendering(p, status):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from commissioning.models import Rendering

    rendering = Rendering(report=board_report(p), edition="internal", status=status, requested_by=p.evaluator)
    if status == Rendering.Status.READY:
        import hashlib

        pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        rendering.file.save("internal.pdf", ContentFile(pdf), save=False)
        rendering.size, rendering.sha256 = len(pdf), hashlib.sha256(pdf).hexdigest()
        rendering.page_count = 1
    else:
        rendering.reason = "The renderer stopped."
    rendering.finished_at = timezone.now()
    rendering.save()
    return rendering


@_cached
def rendering(p):
    """A ready render of the internal edition (with money): never for the provider's user."""
    return _rendering(p, "ready")


@_cached
def failed_rendering(p):
    """A failed render of the internal edition, which the programme team may try again."""
    return _rendering(p, "failed")


# --- foundation: import jobs ----------------------------------------------------------------------


@_cached
def import_job(p):
    """A register import the programme team member (the evaluator) sent, under way: nobody else sees it."""
    from foundation.models import ImportJob

    return ImportJob.objects.create(
        kind="partnerships.register", name="register.csv", created_by=p.evaluator, status="running", rows_total=10
    )


# --- foundation: notifications --------------------------------------------------------------------


@_cached
def notification(p):
    """An unread notification of the officer's: nobody else may mark it read."""
    from foundation.models import Notification

    return Notification.objects.create(
        recipient=p.officer, kind="growth_bids.bid_submitted", title="Bid received", link="/", object_key="matrix:1"
    )
