"""A URLconf with two views that skip the CSRF check: the resolver sweep must name both."""

from django.http import HttpResponse
from django.urls import path
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from commissioning.urls import urlpatterns as product_urlpatterns


@csrf_exempt
def exempt_function(request):
    return HttpResponse("accepted")


@method_decorator(csrf_exempt, name="dispatch")
class ExemptClass(View):
    def post(self, request):
        return HttpResponse("accepted")


urlpatterns = [
    *product_urlpatterns,
    path("hooks/function/", exempt_function, name="exempt_function"),
    path("hooks/class/", ExemptClass.as_view(), name="exempt_class"),
]
