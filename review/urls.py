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
    path("events/", views.EventListView.as_view(), name="events"),
]
