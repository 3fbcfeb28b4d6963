from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("", views.ReviewIndexView.as_view(), name="index"),
    path("programmes/<int:pk>/", views.ProgrammeReviewView.as_view(), name="programme"),
    path("programmes/<int:pk>/measures/add/", views.MeasureCreateView.as_view(), name="measure_add"),
    path("measures/<int:pk>/targets/", views.TargetSetView.as_view(), name="target_set"),
    path("returns/", views.ReturnListView.as_view(), name="returns"),
    path("returns/import/", views.ReturnImportView.as_view(), name="return_import"),
    path("returns/<int:pk>/", views.ReturnDetailView.as_view(), name="return_detail"),
    path("services/<int:pk>/return/", views.ReturnSubmitView.as_view(), name="return_submit"),
    path("meetings/", views.MeetingListView.as_view(), name="meetings"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting"),
    path("meetings/<int:pk>/minutes/add/", views.MinuteItemCreateView.as_view(), name="minute_add"),
    path("minutes/<int:pk>/", views.MinuteItemEditView.as_view(), name="minute_edit"),
    path("minutes/<int:pk>/move/", views.MinuteItemMoveView.as_view(), name="minute_move"),
    path("events/", views.EventListView.as_view(), name="events"),
    path("actions/", views.ActionListView.as_view(), name="actions"),
    path("actions/add/", views.ActionCreateView.as_view(), name="action_add"),
    path("actions/<int:pk>/", views.ActionEditView.as_view(), name="action_edit"),
    path("contracts/", views.ContractListView.as_view(), name="contracts"),
    path("contracts/add/", views.ContractCreateView.as_view(), name="contract_add"),
    path("contracts/<int:pk>/", views.ContractEditView.as_view(), name="contract_edit"),
    path("contracts/export.csv", views.ContractExportView.as_view(), name="contract_export"),
]
