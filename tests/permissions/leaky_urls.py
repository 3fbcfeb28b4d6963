"""A URLconf with views that refuse a request yet write: the matrix must catch every one of them."""

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.http import HttpResponseForbidden
from django.urls import path

from commissioning.urls import urlpatterns as product_urlpatterns


class Undone(Exception):
    pass


def _insert():
    Group.objects.create(name="Written by a refused request")


def _update():
    Group.objects.filter(pk=Group.objects.order_by("pk").first().pk).update(name="Renamed by a refused request")


def _delete():
    Group.objects.order_by("pk").first().delete()


def _raw():
    with connection.cursor() as cursor:
        cursor.execute("UPDATE auth_group SET name = name WHERE id < 0")


def _rolled_back():
    try:
        with transaction.atomic():
            _insert()
            raise Undone
    except Undone:
        pass


def _on_commit():
    transaction.on_commit(lambda: None)


def _session_only(request):
    request.session["seen"] = True


LEAKS = {
    "insert": _insert,
    "update": _update,
    "delete": _delete,
    "raw": _raw,
    "rolled-back": _rolled_back,
    "on-commit": _on_commit,
}


def refuse(request, how):
    if how == "session":
        _session_only(request)
    elif how != "nothing":
        LEAKS[how]()
    return HttpResponseForbidden("refused")


urlpatterns = [*product_urlpatterns, path("leaky/<str:how>/", refuse, name="leaky_refusal")]
