"""Every write of the shared commissioning app: atomic, validated, keyword-only."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core_groups.models import Organisation
from core_groups.money import format_money
from foundation import editing
from procurement.models import Approach, ProcurementProject
from procurement.services import project_create

from . import permissions, register_io
from .exceptions import ImportRefused
from .models import FunderHourlyCost, FundingArrangement, PartnerPreference, ServiceArea
from .selectors import aligned_budget_partners

ARRANGEMENT_FIELDS = [
    "funder",
    "provider",
    "arrangement_type",
    "service_area",
    "title",
    "annual_value",
    "start_date",
    "end_date",
    "rolls_over",
    "last_openly_procured",
    *register_io.costing.STAGE_FIELDS,
]


EDITABLE_FIELDS = [*ARRANGEMENT_FIELDS, "notes"]


def lookups(partnership=None):
    """Lower-case name, short name (and code) -> object, for matching the names people type in a file.

    With a partnership, only its member organisations are funders and providers; the names of the others are
    returned in a fourth map, so that a row naming one is refused as outside the partnership, not as unknown.
    """
    funders, providers, areas, elsewhere = {}, {}, {}, {}
    members = set(partnership.organisations.values_list("pk", flat=True)) if partnership is not None else None
    for org in Organisation.objects.all():
        target = providers if org.is_provider else funders if org.is_commissioning_partner else None
        if members is not None and org.pk not in members:
            target = elsewhere
        if target is None:
            continue
        for key in (org.name, org.short_name, org.identifier):
            if key:
                target.setdefault(key.strip().lower(), org)
    for area in ServiceArea.objects.all():
        areas[area.name.lower()] = area
        areas[area.code.lower()] = area
    return funders, providers, areas, elsewhere


def register_validate_upload(*, name, data, partnership=None):
    """Parse and check a file without saving. Returns (cleaned rows, problems)."""
    try:
        header, records = register_io.parse_upload(name, data)
    except register_io.UnreadableFile as exc:
        return [], [register_io.Problem(1, "", str(exc))]
    funders, providers, areas, elsewhere = lookups(partnership)
    rows, problems = register_io.validate_rows(
        header, records, funders=funders, providers=providers, service_areas=areas, elsewhere=elsewhere
    )
    if partnership is not None and rows:
        # A reference another partnership's register holds is not this partnership's to update.
        taken = set(
            FundingArrangement.objects.exclude(partnership=partnership)
            .filter(reference__in=[row["reference"] for row in rows])
            .values_list("reference", flat=True)
        )
        label = dict((key, label) for key, label, _required in register_io.ARRANGEMENT_COLUMNS)["reference"]
        for row in rows:
            if row["reference"] in taken:
                problems.append(
                    register_io.Problem(
                        row["line"], label, "This reference is taken outside this partnership.", row["reference"]
                    )
                )
    return rows, problems


@transaction.atomic
def register_import(*, name, data, user=None, partnership=None, progress=None):
    """Import a whole register file: every row is saved, or (with any problem) none is.

    Rows whose reference is already in the register update that arrangement; the rest are added.
    Returns (created, updated). Raises ImportRefused listing every problem by line and column.
    ``progress(done, total)``, when given, is told how many rows are saved (a background job's page shows it).
    """
    rows, problems = register_validate_upload(name=name, data=data, partnership=partnership)
    if problems:
        raise ImportRefused(problems)
    if progress is not None:
        progress(0, len(rows), force=True)
    from django.core.exceptions import ValidationError

    created = updated = 0
    hourly = {}
    mine = FundingArrangement.objects.select_for_update()
    if partnership is not None:
        mine = mine.filter(partnership=partnership)
    existing = {a.reference.lower(): a for a in mine}
    for row in rows:
        arrangement = existing.get(row["reference"].lower())
        if arrangement is None:
            arrangement = FundingArrangement(reference=row["reference"], notes=row["notes"], partnership=partnership)
            created += 1
        else:
            if row["notes"]:
                arrangement.notes = row["notes"]
            updated += 1
        for field in ARRANGEMENT_FIELDS:
            setattr(arrangement, field, row[field])
        if arrangement.partnership_id is None:
            # Not named: the partnership the funder belongs to.
            arrangement.partnership = row["funder"].partnerships.order_by("pk").first()
        try:
            # The file check has already applied every constraint to every row, and the database enforces them
            # again on save; checking each constraint here too costs a query per constraint per row.
            # The funder, provider and service area were looked up from the database a moment ago.
            arrangement.full_clean(
                exclude=["funder", "provider", "service_area"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            # Checked again by the model: anything the file check missed still names its line.
            raise ImportRefused(
                [
                    register_io.Problem(row["line"], field, "; ".join(messages))
                    for field, messages in exc.message_dict.items()
                ]
            ) from exc
        if arrangement.pk is None:
            arrangement.save()
        else:
            editing.save_version(arrangement, clean=False)  # cleaned just above
        if row["funder_hourly_cost"] is not None:
            hourly[row["funder"].pk] = (row["funder"], row["funder_hourly_cost"])
        if progress is not None:
            progress(created + updated, len(rows))
    for funder, cost in hourly.values():
        FunderHourlyCost.objects.update_or_create(funder=funder, defaults={"hourly_cost": cost})
    from .notifications import tell_register_imported

    tell_register_imported(partnership=partnership, user=user, name=name, created=created, updated=updated)
    return created, updated


@transaction.atomic
def preference_record(
    *,
    partner,
    service_area,
    option,
    cabinet_decision_needed=False,
    decision_date=None,
    annual_contribution=None,
    notes="",
    user=None,
    expected_version=None,
):
    """Create or change a partner's preferred option for a service. expected_version guards against two people
    overwriting each other: pass the version the person saw (None for a new preference)."""
    preference = (
        PartnerPreference.objects.select_for_update().filter(partner=partner, service_area=service_area).first()
    )
    if preference is None:
        if expected_version:
            raise editing.StaleEdit("This preference was removed by someone else.")
        preference = PartnerPreference(partner=partner, service_area=service_area)
    else:
        editing.check_version(preference, expected_version, noun="preference")
    preference.option = option
    preference.cabinet_decision_needed = cabinet_decision_needed
    preference.decision_date = decision_date
    preference.annual_contribution = annual_contribution
    preference.notes = notes
    preference.recorded_by = user
    if preference.pk is None:
        preference.full_clean()
        preference.save()
        return preference
    return editing.save_version(preference)


@transaction.atomic
def arrangement_update(*, user, arrangement, expected_version, **fields):
    """Change one funding arrangement from its page. The programme team keeps the register; an edit made from an
    older version than the one saved is refused (foundation.editing.StaleEdit) and nothing is written."""
    if not permissions.can_edit_arrangement(user, arrangement):
        raise PermissionDenied("Only the programme team may change the register.")
    locked = FundingArrangement.objects.select_for_update().get(pk=arrangement.pk)
    editing.check_version(locked, expected_version, noun=f"funding arrangement ({locked.reference})")
    return editing.save_version(locked, fields, fields=EDITABLE_FIELDS)


@transaction.atomic
def hourly_cost_set(*, funder, hourly_cost):
    cost, _ = FunderHourlyCost.objects.get_or_create(funder=funder, defaults={"hourly_cost": hourly_cost})
    cost.hourly_cost = hourly_cost
    cost.full_clean()
    cost.save()
    return cost


# ---------------------------------------------------------------- from aligned budgets to procurement


def service_project_reference(service_area):
    return f"SC-{service_area.code.upper()}"[:40]


def service_project_description(service_area, lead_organisation, partners):
    total = sum((p.annual_contribution for p in partners), Decimal("0.00"))
    lines = [
        f"Shared commissioning of {service_area.name.lower()}: {len(partners)} partner"
        f"{'s' if len(partners) != 1 else ''} chose aligned budgets with {lead_organisation.name} as lead "
        f"commissioner, transferring {format_money(total)} a year between them, annually in advance, for the "
        "life of the contract."
    ]
    waiting = [p for p in partners if p.cabinet_decision_needed]
    if waiting:
        lines.append(
            "Cabinet decisions needed: "
            + "; ".join(
                f"{p.partner.name}" + (f" ({p.decision_date:%d %B %Y})" if p.decision_date else "") for p in waiting
            )
            + "."
        )
    return "\n".join(lines)


@transaction.atomic
def service_to_procurement_project(
    *,
    service_area,
    by,
    template,
    contract_start,
    lead_organisation=None,
    project_manager=None,
    tupe=False,
    contract_years=3,
    reference=None,
    title=None,
    partnership=None,
):
    """Turn the partners that chose aligned budgets for a service into a procurement project led by the lead
    commissioner, with each partner's annual contribution; link the service to it.

    The service row is locked first, so two people doing this at once make one project: the second is told which.
    """
    if not permissions.can_make_procurement_project(by):
        raise PermissionDenied("Only the programme team turns a shared service into a procurement project.")
    # Lock the service row on its own, then read the project it points at (see growth_bids' twin).
    ServiceArea.objects.select_for_update().filter(pk=service_area.pk).values_list("pk", flat=True).get()
    area = ServiceArea.objects.select_related("procurement_project").get(pk=service_area.pk)
    if area.procurement_project_id:
        raise ValidationError(f"{area.name} is already procurement project {area.procurement_project.reference}.")
    partners = aligned_budget_partners(area)
    if not partners:
        raise ValidationError(
            f"No partner has chosen aligned budgets for {area.name}, so there is nothing to procure together yet."
        )
    errors = {}
    lead_organisation = lead_organisation or area.lead_commissioner
    if lead_organisation is None:
        errors["lead_organisation"] = "Choose the lead commissioner that procures for the partners."
    elif not lead_organisation.is_commissioning_partner:
        errors["lead_organisation"] = "The lead commissioner must be a commissioning partner."
    if template is None:
        errors["template"] = "Choose the timetable template the project follows."
    if contract_start is None:
        errors["contract_start"] = "Give the date the contract starts."
    reference = (reference or service_project_reference(area)).strip()
    if ProcurementProject.objects.filter(reference__iexact=reference).exists():
        errors["reference"] = f"A procurement project with the reference {reference} already exists; choose another."
    if errors:
        raise ValidationError(errors)
    project = project_create(
        title=(title or f"{area.name}: aligned budgets with a lead commissioner")[:200],
        reference=reference,
        procedure=template.procedure,
        regime=template.regime,
        approach=Approach.ALIGNED,
        lead_organisation=lead_organisation,
        partners=[(p.partner, p.annual_contribution) for p in partners],
        estimated_annual_value=sum((p.annual_contribution for p in partners), Decimal("0.00")),
        contract_years=contract_years,
        contract_start=contract_start,
        template=template,
        tupe=tupe,
        description=service_project_description(area, lead_organisation, partners),
        project_manager=project_manager,
        created_by=by,
        change_note=f"Drawn from the template for the partners in aligned budgets for {area.name}",
        partnership=partnership or lead_organisation.partnerships.order_by("pk").first(),
    )
    area.procurement_project = project
    area.save(update_fields=["procurement_project"])
    return project
