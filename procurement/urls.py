from django.urls import path

from . import views

app_name = "procurement"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="project_list"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("projects/<int:pk>/gantt/", views.ProjectGanttView.as_view(), name="project_gantt"),
    path("projects/<int:pk>/compare/", views.TimetableCompareView.as_view(), name="timetable_compare"),
    path("projects/<int:pk>/contract-start/", views.ContractStartView.as_view(), name="contract_start"),
    path("underspend/", views.UnderspendView.as_view(), name="underspend"),
]
