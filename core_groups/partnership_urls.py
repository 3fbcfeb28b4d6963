from django.urls import path

from . import partnership_views

app_name = "partnership"

urlpatterns = [
    path("switch/", partnership_views.switch, name="switch"),
]
