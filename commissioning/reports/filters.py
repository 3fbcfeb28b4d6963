import django_filters

from core_groups.choices import PartnershipFilterChoicesMixin

from ..models import BoardReport


class ReportFilter(PartnershipFilterChoicesMixin, django_filters.FilterSet):
    title = django_filters.CharFilter(label="Title contains", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(choices=BoardReport.Kind.choices, empty_label="Any kind")
    programme = django_filters.ModelChoiceFilter(queryset=None, empty_label="Any programme")
    sort = django_filters.OrderingFilter(
        fields=(("meeting_date", "meeting_date"), ("title", "title"), ("updated_at", "updated_at")),
        field_labels={"meeting_date": "Meeting date", "title": "Title", "updated_at": "Last changed"},
        label="Sort by",
    )

    class Meta:
        model = BoardReport
        fields = ["title", "kind", "programme"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import visible_programmes

        self.filters["programme"].queryset = visible_programmes(user)
