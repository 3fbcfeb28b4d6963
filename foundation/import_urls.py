from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("<int:pk>/", views.import_job, name="job"),
]
