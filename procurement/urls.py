from django.urls import path

from foundation.page_cache import cached_page

from . import views

app_name = "procurement"

urlpatterns = [
    path("", cached_page(views.ProjectListView.as_view()), name="project_list"),
    path("projects/new/", views.ProjectCreateView.as_view(), name="project_create"),
    path("projects/<int:pk>/edit/", views.ProjectUpdateView.as_view(), name="project_edit"),
    path("projects/<int:pk>/tasks/<int:task_pk>/", views.TaskUpdateView.as_view(), name="task_update"),
    path("projects/<int:pk>/tasks/<int:task_pk>/arrange/", views.TaskArrangeView.as_view(), name="task_arrange"),
    path("projects/<int:pk>/tasks/new/", views.TaskInsertView.as_view(), name="task_insert"),
    path("projects/<int:pk>/publish/", views.TimetablePublishView.as_view(), name="timetable_publish"),
    path("projects/<int:pk>/risks/add/", views.ProjectRiskCreateView.as_view(), name="project_risk_add"),
    path("projects/<int:pk>/conflicts/add/", views.ConflictAssessmentView.as_view(), name="conflict_assessment_add"),
    path(
        "projects/<int:pk>/conflicts/<int:assessment_pk>/",
        views.ConflictAssessmentView.as_view(),
        name="conflict_assessment_edit",
    ),
    path("projects/<int:pk>/", cached_page(views.ProjectDetailView.as_view()), name="project_detail"),
    path("projects/<int:pk>/gantt/", cached_page(views.ProjectGanttView.as_view()), name="project_gantt"),
    path("projects/<int:pk>/compare/", views.TimetableCompareView.as_view(), name="timetable_compare"),
    path("projects/<int:pk>/contract-start/", views.ContractStartView.as_view(), name="contract_start"),
    path("underspend/", views.UnderspendView.as_view(), name="underspend"),
]
