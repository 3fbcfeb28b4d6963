"""The notifications pages: what each person was told, and how they want to be told.

Every page is about the person asking (their own notifications and preferences), so being signed in is the whole
permission check; a notification of someone else is "not found"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from . import imports, notifications
from .models import Delivery, ImportJob, Language, Notification, NotificationSettings

FILTERS = {"unread": "Unread", "read": "Read", "all": "All"}
PER_PAGE = 25


@login_required
@require_http_methods(["GET", "HEAD"])
def notification_list(request: HttpRequest) -> HttpResponse:
    shown = request.GET.get("show", "all")
    if shown not in FILTERS:
        shown = "all"
    queryset = Notification.objects.filter(recipient_id=request.user.pk)
    if shown == "unread":
        queryset = queryset.filter(read_at__isnull=True)
    elif shown == "read":
        queryset = queryset.filter(read_at__isnull=False)
    page = Paginator(queryset.only("id", "title", "link", "created_at", "read_at", "kind"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "shown": shown, "filters": FILTERS}
    return render(request, "foundation/notifications/list.html", context)


def _back(request: HttpRequest) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return HttpResponseRedirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, recipient_id=request.user.pk)
    notifications.mark_read(request.user, notification.pk)
    return _back(request)


@login_required
@require_http_methods(["GET", "HEAD"])
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification: it is marked read and the person goes to its object (or back to the list)."""
    notification = get_object_or_404(Notification, pk=pk, recipient_id=request.user.pk)
    notifications.mark_read(request.user, notification.pk)
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, {request.get_host()}, request.is_secure()):
        return HttpResponseRedirect(link)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications.mark_read(request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return _back(request)


LANGUAGE_FIELD = "language"


class PreferencesForm(forms.Form):
    """One choice per kind of event; mandatory kinds are shown, fixed at email."""

    def __init__(self, *args: Any, current: dict[str, str], language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Emails are written in this language (English today; Welsh follows, foundation.mail.render_email).
        self.fields[LANGUAGE_FIELD] = forms.ChoiceField(
            label="Language of your emails",
            choices=Language.choices,
            initial=language,
            required=False,
            widget=forms.RadioSelect,
        )
        for kind in notifications.kinds():
            self.fields[kind.name] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                initial=current.get(kind.name, kind.default),
                disabled=kind.mandatory,
                help_text="Always emailed: you cannot turn this off." if kind.mandatory else "",
                widget=forms.RadioSelect,
            )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    current = notifications.preferences(request.user)
    pk = int(request.user.pk or 0)
    language = notifications.language_of([pk])[pk]
    form = PreferencesForm(request.POST or None, current=current, language=language)
    if request.method == "POST" and form.is_valid():
        choices = dict(form.cleaned_data)
        NotificationSettings.objects.update_or_create(
            user_id=pk, defaults={"language": choices.pop(LANGUAGE_FIELD) or language}
        )
        notifications.set_preferences(request.user, choices)
        messages.success(request, "Your notification choices are saved.")
        return redirect(reverse("notifications:preferences"))
    return render(request, "foundation/notifications/preferences.html", {"form": form})


# --------------------------------------------------------------------------------------------------
# Import jobs (foundation/imports.py): the person who sent the file watches its progress; nobody else
# learns that it exists.


@login_required
@require_http_methods(["GET", "HEAD"])
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob.objects.defer("data"), pk=pk, created_by_id=request.user.pk)
    imports.revive(job)  # a job whose hand-over was lost, or whose worker died, is handed on again
    context = {"job": job, "polling": not job.finished, "return_url": job.params.get("return_url") or ""}
    if request.headers.get("HX-Request"):
        return render(request, "foundation/imports/_job_status.html", context)
    return render(request, "foundation/imports/job.html", context)
