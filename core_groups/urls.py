from django.urls import path

from foundation.page_cache import cached_page

from . import views

app_name = "core_groups"

urlpatterns = [
    path("", views.ProgrammeListView.as_view(), name="index"),
    path("programmes/<int:pk>/", cached_page(views.ProgrammeDetailView.as_view()), name="programme"),
    path("programmes/<int:programme_pk>/risks/add/", views.RiskCreateView.as_view(), name="programme_risk_add"),
    path("groups/<int:pk>/", cached_page(views.CoreGroupDetailView.as_view()), name="group"),
    path("groups/<int:pk>/commissions/add/", views.CommissionCreateView.as_view(), name="commission_add"),
    path("groups/<int:pk>/spend/add/", views.SpendCreateView.as_view(), name="spend_add"),
    path("spend/<int:pk>/edit/", views.SpendUpdateView.as_view(), name="spend_edit"),
    path("groups/<int:pk>/allocation/", views.AllocationSetView.as_view(), name="allocation_set"),
    path("groups/<int:pk>/forecast/<int:year>/", views.ForecastUpdateView.as_view(), name="forecast"),
    path("groups/<int:group_pk>/risks/add/", views.RiskCreateView.as_view(), name="group_risk_add"),
    path("work-plan/", cached_page(views.CommissionListView.as_view()), name="commissions"),
    path("work-plan/export.csv", views.CommissionExportView.as_view(), name="commissions_csv"),
    path("work-plan/<int:pk>/", views.CommissionDetailView.as_view(), name="commission"),
    path("work-plan/<int:pk>/edit/", views.CommissionUpdateView.as_view(), name="commission_edit"),
    path("work-plan/<int:pk>/delete/", views.CommissionDeleteView.as_view(), name="commission_delete"),
    path("work-plan/<int:pk>/specification/", views.SpecificationDecideView.as_view(), name="commission_specification"),
    path("work-plan/<int:pk>/business-case/", views.BusinessCaseDecideView.as_view(), name="commission_business_case"),
    path("risks/", cached_page(views.RiskRegisterView.as_view()), name="risks"),
    path("risks/export.csv", views.RiskExportView.as_view(), name="risks_csv"),
    path("risks/<int:pk>/", views.RiskDetailView.as_view(), name="risk"),
    path("risks/<int:pk>/edit/", views.RiskUpdateView.as_view(), name="risk_edit"),
    path("risks/<int:pk>/delete/", views.RiskDeleteView.as_view(), name="risk_delete"),
    path("interests/", views.DeclarationListView.as_view(), name="declarations"),
    path("interests/register/", views.DeclarationRegisterView.as_view(), name="declarations_register"),
    path("interests/<int:pk>/withdraw/", views.DeclarationWithdrawView.as_view(), name="declaration_withdraw"),
]
