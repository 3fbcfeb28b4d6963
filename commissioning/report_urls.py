from django.urls import path

from .reports import views

app_name = "reports"

urlpatterns = [
    path("", views.ReportListView.as_view(), name="list"),
    path("new/", views.ReportCreateView.as_view(), name="create"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ReportUpdateView.as_view(), name="edit"),
    path("<int:pk>/render/", views.RenderRequestView.as_view(), name="render"),
    path("<int:pk>/status/", views.RenderingStatusView.as_view(), name="status"),
    path("renderings/<int:pk>/retry/", views.RenderingRetryView.as_view(), name="retry"),
    path("renderings/<int:pk>/download/", views.RenderingDownloadView.as_view(), name="download"),
]
