"""The Commissioning Body's list of a round's bids: filters shared by the page and its exports."""

import django_filters
from django import forms

from core_groups.choices import PartnershipFilterChoicesMixin
from core_groups.models import Organisation

from .models import Bid, ClientGroup, Decision, District

RECOMMENDATION_CHOICES = [
    ("fund", "Recommended for funding"),
    ("reserve", "Recommended reserve"),
    ("not_funded", "Not recommended"),
]
DECISION_CHOICES = [("none", "Not decided yet")] + [(v, label) for v, label in Decision.Outcome.choices]


class BodyBidFilter(PartnershipFilterChoicesMixin, django_filters.FilterSet):
    client_group = django_filters.ModelChoiceFilter(
        queryset=ClientGroup.objects.all(),
        label="Client group",
        widget=forms.Select(attrs={"data-autosubmit": "", "class": "form-select"}),
    )
    district = django_filters.ModelChoiceFilter(
        field_name="districts",
        queryset=District.objects.all(),
        label="District",
        widget=forms.Select(attrs={"data-autosubmit": "", "class": "form-select"}),
    )
    organisation = django_filters.ModelChoiceFilter(
        field_name="applicant",
        queryset=Organisation.objects.filter(is_commissioning_partner=True),
        label="Organisation",
        widget=forms.Select(attrs={"data-autosubmit": "", "class": "form-select"}),
    )
    min_score = django_filters.NumberFilter(
        field_name="score",
        lookup_expr="gte",
        label="Score at least",
        widget=forms.NumberInput(attrs={"class": "form-control", "min": 0}),
    )
    recommendation = django_filters.ChoiceFilter(
        choices=RECOMMENDATION_CHOICES,
        method="filter_recommendation",
        label="Recommendation",
        widget=forms.Select(attrs={"data-autosubmit": "", "class": "form-select"}),
    )
    decision = django_filters.ChoiceFilter(
        choices=DECISION_CHOICES,
        method="filter_decision",
        label="Decision",
        widget=forms.Select(attrs={"data-autosubmit": "", "class": "form-select"}),
    )

    class Meta:
        model = Bid
        fields = []

    def __init__(self, *args, recommendation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.recommendation_result = recommendation

    def filter_recommendation(self, queryset, name, value):
        result = self.recommendation_result
        if result is None or not value:
            return queryset
        if value == "fund":
            return queryset.filter(reference__in=result.funded)
        if value == "reserve":
            return queryset.filter(reference=result.reserve or "")
        return queryset.exclude(reference__in=result.funded + ([result.reserve] if result.reserve else []))

    def filter_decision(self, queryset, name, value):
        if value == "none":
            return queryset.filter(decision__isnull=True)
        return queryset.filter(decision__outcome=value)
