import django_filters
from django.db.models import Exists, OuterRef
from django.utils import timezone

from core_groups.choices import PartnershipFilterChoicesMixin
from core_groups.filters import NamedChoiceFilter
from core_groups.models import Organisation

from .models import Procedure, ProcurementProject, Task


class ProjectFilter(PartnershipFilterChoicesMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="filter_q")
    status = django_filters.ChoiceFilter(choices=ProcurementProject.Status.choices, empty_label="Any status")
    procedure = django_filters.ChoiceFilter(choices=Procedure.choices, empty_label="Any procedure")
    # Kept between requests (foundation/choice_cache.py): forgotten when an organisation or a project changes.
    lead_organisation = NamedChoiceFilter(
        label="Lead",
        queryset=Organisation.objects.filter(procurements_led__isnull=False).distinct(),
        empty_label="Any lead",
    )
    overdue = django_filters.ChoiceFilter(
        label="Overdue",
        choices=[("yes", "Has overdue tasks"), ("no", "Nothing overdue")],
        method="filter_overdue",
        empty_label="Any",
    )
    sort = django_filters.OrderingFilter(
        label="Sort by",
        fields=[
            ("reference", "reference"),
            ("title", "title"),
            ("contract_start", "contract_start"),
            ("status", "status"),
            ("overdue_count", "overdue"),
        ],
        field_labels={
            "reference": "Reference",
            "title": "Title",
            "contract_start": "Contract start",
            "status": "Status",
            "overdue_count": "Overdue tasks",
        },
        empty_label="Contract start (default)",
    )

    class Meta:
        model = ProcurementProject
        fields = ["q", "status", "procedure", "lead_organisation", "overdue"]

    def filter_q(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(reference__icontains=value) | Q(title__icontains=value)) if value else queryset

    def filter_overdue(self, queryset, name, value):
        overdue = Task.objects.overdue(timezone.localdate()).current().filter(timetable__project=OuterRef("pk"))
        if value == "yes":
            return queryset.filter(Exists(overdue))
        if value == "no":
            return queryset.exclude(Exists(overdue))
        return queryset
