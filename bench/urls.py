"""The product's URLs plus one trivial Django view: the ceiling each page's throughput is read against.

It only exists in the bench's URLconf (bench.settings), never in the product's.
"""

from django.http import HttpResponse
from django.urls import path

from commissioning.urls import *  # noqa: F403
from commissioning.urls import urlpatterns as product_urlpatterns


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial", trivial, name="bench_trivial"), *product_urlpatterns]
