import django_filters
from django.db.models import Q
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django_filters.fields import ModelChoiceField
from django_filters.widgets import BooleanWidget

from foundation.choice_cache import CachedOptionsSelect

from . import permissions
from .choices import PartnershipFilterChoicesMixin
from .models import Commission, CoreGroup, DeclaredInterest, Organisation, Programme, Risk


class NameChoiceIterator(ModelChoiceIterator):
    """The options of a model whose label is its ``name``, read as (id, name) pairs: no model object per option
    (a partnership of a thousand core groups made a thousand of them for each list page's filter, issue 17)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, name in self.queryset.values_list("pk", "name"):
            yield (ModelChoiceIteratorValue(pk, None), name)


class NamedChoiceField(ModelChoiceField):
    """Its select is kept between requests (foundation/choice_cache.py: core groups and programmes are registered)."""

    iterator = NameChoiceIterator
    widget = CachedOptionsSelect


class NamedChoiceFilter(django_filters.ModelChoiceFilter):
    """A filter by a model named by its ``name`` (core groups, programmes): options without model objects."""

    field_class = NamedChoiceField


class CommissionFilter(PartnershipFilterChoicesMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search")
    core_group = NamedChoiceFilter(
        label="Core group",
        queryset=CoreGroup.objects.select_related("programme").order_by("name"),
        empty_label="Any",
    )
    phase = django_filters.ChoiceFilter(choices=Commission.Phase.choices, empty_label="Any")
    route = django_filters.ChoiceFilter(choices=Commission.Route.choices, empty_label="Any")
    status = django_filters.ChoiceFilter(choices=Commission.Status.choices, empty_label="Any")
    specification_state = django_filters.ChoiceFilter(
        label="Specification", choices=Commission.SpecificationState.choices, empty_label="Any"
    )
    ordering = django_filters.OrderingFilter(
        label="Sort by",
        fields=(
            ("title", "title"),
            ("core_group__name", "group"),
            ("phase", "phase"),
            ("route", "route"),
            ("status", "status"),
            ("indicative_start", "start"),
            ("annual_value", "value"),
        ),
        field_labels={
            "title": "Title",
            "core_group__name": "Core group",
            "phase": "Phase",
            "route": "Route",
            "status": "Status",
            "indicative_start": "Indicative start",
            "annual_value": "Annual value",
        },
        empty_label="Core group and phase",
    )

    class Meta:
        model = Commission
        fields = ["q", "core_group", "phase", "route", "status", "specification_state"]

    def __init__(self, *args, user=None, partnership=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices name only the partnership's core groups: another partnership's names are not shown.
        self.filters["core_group"].queryset = CoreGroup.objects.filter(partnership=partnership).order_by("name")
        if not permissions.can_see_money(user):
            # Sorting by value would reveal the order of values: providers' users never see money.
            choices = [c for c in self.filters["ordering"].extra["choices"] if "value" not in c[0]]
            self.filters["ordering"].extra["choices"] = choices
            self.user_sees_money = False
        else:
            self.user_sees_money = True

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(service_area__icontains=value))

    @property
    def qs(self):
        qs = super().qs
        ordering = self.form.cleaned_data.get("ordering") if self.form.is_valid() else None
        if not self.user_sees_money and ordering and any("annual_value" in o for o in ordering):
            qs = qs.order_by("core_group__name", "phase", "title")
        if not ordering:
            qs = qs.order_by("core_group__name", "phase", "title")
        return qs


class RiskFilter(PartnershipFilterChoicesMixin, django_filters.FilterSet):
    programme = NamedChoiceFilter(queryset=Programme.objects.order_by("name"), empty_label="Any")
    core_group = NamedChoiceFilter(label="Core group", queryset=CoreGroup.objects.order_by("name"), empty_label="Any")
    status = django_filters.ChoiceFilter(choices=Risk.Status.choices, empty_label="Any")
    rating = django_filters.ChoiceFilter(
        label="Rating",
        choices=[("red", "Red"), ("amber", "Amber"), ("green", "Green")],
        method="filter_rating",
        empty_label="Any",
    )
    ordering = django_filters.OrderingFilter(
        label="Sort by",
        fields=(("score", "score"), ("title", "title"), ("review_on", "review"), ("status", "status")),
        field_labels={"score": "Score", "title": "Title", "review_on": "Review date", "status": "Status"},
        empty_label="Highest score first",
    )

    class Meta:
        model = Risk
        fields = ["programme", "core_group", "status", "rating"]

    def __init__(self, *args, partnership=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["programme"].queryset = Programme.objects.filter(partnership=partnership).order_by("name")
        self.filters["core_group"].queryset = CoreGroup.objects.filter(partnership=partnership).order_by("name")

    def filter_rating(self, queryset, name, value):
        return queryset.rated(value)


class ActiveOnlyWidget(BooleanWidget):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", "All declarations"), ("true", "Active only"))


class DeclarationFilter(PartnershipFilterChoicesMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search")
    organisation = django_filters.ModelChoiceFilter(queryset=Organisation.objects.order_by("name"), empty_label="Any")
    active = django_filters.BooleanFilter(label="Show", method="filter_active", widget=ActiveOnlyWidget)

    class Meta:
        model = DeclaredInterest
        fields = ["q", "organisation", "active"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(user__first_name__icontains=value)
            | Q(user__last_name__icontains=value)
            | Q(user__username__icontains=value)
            | Q(description__icontains=value)
            | Q(organisation__name__icontains=value)
        )

    def filter_active(self, queryset, name, value):
        if value:
            return queryset & DeclaredInterest.objects.active()
        return queryset
