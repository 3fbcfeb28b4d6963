import django_filters
from django.db.models import Q
from django_filters.widgets import BooleanWidget

from core_groups.choices import PartnershipFilterChoicesMixin
from core_groups.filters import NamedChoiceFilter
from core_groups.models import Organisation

from .models import FundingArrangement, ServiceArea


class AnyBooleanWidget(BooleanWidget):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", "Any"), ("true", "Yes"), ("false", "No"))


class FundingArrangementFilter(PartnershipFilterChoicesMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    # Selects kept between requests (foundation/choice_cache.py; partnerships/apps.py says what forgets them).
    funder = NamedChoiceFilter(
        queryset=Organisation.objects.filter(
            is_commissioning_partner=True, arrangements_funded__isnull=False
        ).distinct(),
        empty_label="Any",
    )
    provider = NamedChoiceFilter(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.PROVIDER), empty_label="Any"
    )
    arrangement_type = django_filters.ChoiceFilter(
        choices=FundingArrangement.Type.choices, label="Type", empty_label="Any"
    )
    service_area = NamedChoiceFilter(queryset=ServiceArea.objects.all(), empty_label="Any")
    rolls_over = django_filters.BooleanFilter(widget=AnyBooleanWidget)
    never_procured = django_filters.BooleanFilter(
        field_name="last_openly_procured", lookup_expr="isnull", label="Never openly procured", widget=AnyBooleanWidget
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("reference", "reference"),
            ("funder__name", "funder"),
            ("provider__name", "provider"),
            ("service_area__name", "service"),
            ("annual_value", "value"),
            ("end_date", "end"),
        ),
        label="Sort by",
        empty_label="Reference",
    )

    class Meta:
        model = FundingArrangement
        fields = ["q", "funder", "provider", "arrangement_type", "service_area", "rolls_over", "never_procured"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .permissions import can_view_money

        self.user_sees_money = can_view_money(user)
        if not self.user_sees_money:
            # Sorting by value would reveal the order of values: providers' users never see money.
            ordering = self.filters["ordering"]
            ordering.extra["choices"] = [c for c in ordering.extra["choices"] if "value" not in c[0]]

    @property
    def qs(self):
        qs = super().qs
        if not self.user_sees_money and self.is_bound and "value" in (self.data.get("ordering") or ""):
            qs = qs.order_by("reference")
        return qs

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(reference__icontains=value) | Q(title__icontains=value) | Q(funder__name__icontains=value)
        )
