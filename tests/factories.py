"""Factories for tests. Personas: officer (owning organisation), other_officer, provider, evaluator,
body, member, admin, outsider (signed in, no role)."""

import factory
from django.contrib.auth.models import Group

from core_groups import roles, tenancy
from core_groups.models import DeclaredInterest, Organisation, Partnership, User

PASSWORD = "correct-horse-battery-staple"

HOME_PARTNERSHIP = "home"


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ["short_name"]

    short_name = factory.Sequence(lambda n: f"partnership-{n}")
    name = factory.LazyAttribute(lambda p: f"Partnership {p.short_name}")
    reports_to = "Partnership Board"
    decided_by = "Commissioning Body"


def home_partnership():
    """The partnership every factory object belongs to unless a test says otherwise."""
    return PartnershipFactory(short_name=HOME_PARTNERSHIP, name="Home partnership")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Borough Council {n}")
    short_name = factory.Sequence(lambda n: f"BC{n}")
    kind = Organisation.Kind.DISTRICT
    is_commissioning_partner = True

    class Params:
        provider = factory.Trait(kind=Organisation.Kind.PROVIDER, is_commissioning_partner=False)

    @factory.post_generation
    def partnerships(self, create, extracted, **kwargs):
        """Member of the home partnership unless given a list (``partnerships=[]`` for none)."""
        if not create:
            return
        self.partnerships.add(*(extracted if extracted is not None else [home_partnership()]))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.uk")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def partnership(self, create, extracted, **kwargs):
        """The partnership the roles are held in: the home partnership unless a test names another."""
        self._factory_partnership = extracted

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if extracted:
            # get_or_create: a transactional test elsewhere may have flushed the roles' migration rows.
            self.groups.set([Group.objects.get_or_create(name=name)[0] for name in extracted])
            partnership = getattr(self, "_factory_partnership", None) or home_partnership()
            tenancy.grant_roles(user=self, partnership=partnership, role_names=extracted)
        self.save()


class DeclaredInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeclaredInterest

    partnership = factory.LazyFunction(home_partnership)
    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory, provider=True)
    description = "Trustee of a local provider."


class Personas(dict):
    __getattr__ = dict.__getitem__


def make_personas():
    home = OrganisationFactory(name="Kent County Council", kind=Organisation.Kind.COUNTY)
    other = OrganisationFactory(name="Ashford Borough Council")
    provider_org = OrganisationFactory(name="Asist", provider=True)
    team = OrganisationFactory(
        name="Supporting People Team", kind=Organisation.Kind.OTHER, is_commissioning_partner=False
    )
    body_org = OrganisationFactory(name="Kent Probation Area", kind=Organisation.Kind.OTHER)
    return Personas(
        home=home,
        other=other,
        provider_org=provider_org,
        officer=UserFactory(username="officer", organisation=home, roles=[roles.OFFICER]),
        other_officer=UserFactory(username="other_officer", organisation=other, roles=[roles.OFFICER]),
        provider=UserFactory(username="provider", organisation=provider_org, roles=[roles.CORE_GROUP_MEMBER]),
        evaluator=UserFactory(username="evaluator", organisation=team, roles=[roles.PROGRAMME_TEAM]),
        body=UserFactory(username="body", organisation=body_org, roles=[roles.COMMISSIONING_BODY]),
        member=UserFactory(username="member", organisation=home, roles=[roles.CORE_GROUP_MEMBER]),
        admin=UserFactory(
            username="admin", organisation=team, roles=[roles.ADMINISTRATOR], is_staff=True, is_superuser=True
        ),
        outsider=UserFactory(username="outsider", organisation=other, roles=[]),
    )


# --- Core groups (issue 3) ---------------------------------------------------------------------------

from core_groups.models import (  # noqa: E402
    Allocation,
    Commission,
    CoreGroup,
    CoreGroupMembership,
    Programme,
    Risk,
    SpendEntry,
)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ["name"]

    partnership = factory.LazyFunction(home_partnership)
    name = factory.Sequence(lambda n: f"Cymorth {n}")
    funder = "Welsh Assembly Government"
    reports_to = "CYPP Board"
    decided_by = "Joint Commissioning Group (JCG)"
    length_years = 3
    first_year = 2010


class CoreGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoreGroup

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Core group {n}")
    remit = "Services for children and young people."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoreGroupMembership

    core_group = factory.SubFactory(CoreGroupFactory)
    user = factory.SubFactory(UserFactory)
    role = "Member"


class CommissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commission

    core_group = factory.SubFactory(CoreGroupFactory)
    title = factory.Sequence(lambda n: f"Commission {n}")
    service_area = "Family support"
    annual_value = factory.LazyFunction(lambda: __import__("decimal").Decimal("50000.00"))


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allocation

    core_group = factory.SubFactory(CoreGroupFactory)
    financial_year = 2010
    amount = factory.LazyFunction(lambda: __import__("decimal").Decimal("100000.00"))


class SpendEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpendEntry

    core_group = factory.SubFactory(CoreGroupFactory)
    spent_on = factory.LazyFunction(lambda: __import__("datetime").date(2010, 6, 1))
    amount = factory.LazyFunction(lambda: __import__("decimal").Decimal("1000.00"))
    description = "Payment"


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    core_group = factory.SubFactory(CoreGroupFactory)
    title = factory.Sequence(lambda n: f"Risk {n}")
    description = "Something might go wrong."
    impact = 3
    likelihood = 3
    mitigation = "Keep it under review."


def join_home_partnership():
    """Every organisation (the demo's seeded ones) a member of the home partnership, as a one-partnership test
    expects: imports and form choices are limited to the partnership's members (issue 12)."""
    home_partnership().organisations.add(*Organisation.objects.all())
