"""A URLconf with one view nobody wrote a rule for: the matrix must notice it."""

from django.http import HttpResponse
from django.urls import path

from commissioning.urls import urlpatterns as product_urlpatterns


def secret_report(request):
    return HttpResponse("everybody's salaries")


urlpatterns = [*product_urlpatterns, path("reports/secret/", secret_report, name="secret_report")]
