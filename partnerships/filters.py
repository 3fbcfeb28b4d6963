import django_filters
from django.db.models import Q
from django_filters.widgets import BooleanWidget

from core_groups.models import Organisation

from .models import FundingArrangement, ServiceArea


class AnyBooleanWidget(BooleanWidget):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", "Any"), ("true", "Yes"), ("false", "No"))


class FundingArrangementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    funder = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.filter(
            is_commissioning_partner=True, arrangements_funded__isnull=False
        ).distinct()
    )
    provider = django_filters.ModelChoiceFilter(queryset=Organisation.objects.filter(kind=Organisation.Kind.PROVIDER))
    arrangement_type = django_filters.ChoiceFilter(choices=FundingArrangement.Type.choices, label="Type")
    service_area = django_filters.ModelChoiceFilter(queryset=ServiceArea.objects.all())
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
    )

    class Meta:
        model = FundingArrangement
        fields = ["q", "funder", "provider", "arrangement_type", "service_area", "rolls_over", "never_procured"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(reference__icontains=value) | Q(title__icontains=value) | Q(funder__name__icontains=value)
        )
