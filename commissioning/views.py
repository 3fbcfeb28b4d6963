from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from foundation import notifications
from foundation.extensions import dashboard_panels

from .health import check_broker, check_database
from .models import WorkerHeartbeat


class DecisionQueueView(LoginRequiredMixin, TemplateView):
    """What awaits the JCG, the Body and the programme team, oldest first, with counts."""

    template_name = "commissioning/decision_queue.html"

    def dispatch(self, request, *args, **kwargs):
        from .decision_queue import can_view_queue

        if request.user.is_authenticated and not can_view_queue(request.user, getattr(request, "partnership", None)):
            raise PermissionDenied("The decision queue is for the JCG, the Commissioning Body and the programme team.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from .decision_queue import queues_for

        context = super().get_context_data(**kwargs)
        context["queues"] = queues_for(self.request.user, self.request.partnership)
        context["total"] = sum(q.count for q in context["queues"])
        return context


class DecisionRegisterView(LoginRequiredMixin, TemplateView):
    """Every decision of the partnership, filtered, sorted by date, paginated; ``?format=csv`` downloads it and
    ``?edition=public`` leaves out the amounts (the public report edition's rule)."""

    template_name = "commissioning/decision_register.html"
    page_size = 25

    def dispatch(self, request, *args, **kwargs):
        from .decision_register import can_view_register

        partnership = getattr(request, "partnership", None)
        if request.user.is_authenticated and not can_view_register(request.user, partnership):
            raise PermissionDenied(
                "The decision register is for the programme team, the Commissioning Body and administrators."
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        from foundation.spreadsheets import csv_response

        from .decision_register import RegisterFilter, csv_rows, entries

        public = request.GET.get("edition") == "public"
        form = RegisterFilter(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        found = entries(request.partnership, filters)
        if request.GET.get("format") == "csv":
            header, rows = csv_rows(found, public=public)
            name = "decision-register-public.csv" if public else "decision-register.csv"
            return csv_response(name, header, rows)
        params = request.GET.copy()
        params.pop("page", None)
        context = self.get_context_data(
            form=form,
            public=public,
            page_obj=Paginator(found, self.page_size).get_page(request.GET.get("page")),
            total=len(found),
            querystring=params.urlencode(),
        )
        params.pop("format", None)
        csv_params = params.copy()
        csv_params["format"] = "csv"
        context["csv_query"] = csv_params.urlencode()
        other = params.copy()
        if public:
            other.pop("edition", None)
        else:
            other["edition"] = "public"
        context["other_edition_query"] = other.urlencode()
        return self.render_to_response(context)


def visit_since(request):
    """When the person's previous visit was, noting this one (written at most once in five minutes): what the home
    page shows as new depends on it, so a kept home page is kept for it (foundation/page_cache.py ``vary``)."""
    since = notifications.record_visit(request.user, session=request.session)
    return since.isoformat() if since else ""


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "commissioning/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["panels"] = dashboard_panels(self.request)
        # What the person was told since their last visit (foundation.notifications.record_visit).
        since = notifications.record_visit(self.request.user, session=self.request.session)  # written once in 5 min
        context["new"] = notifications.new_since(self.request.user, since)
        return context


@never_cache
@require_safe
def healthz(request):
    db_ok, db_detail = check_database()
    broker_ok, broker_detail = check_broker()
    checks = {"database": db_detail, "broker": broker_detail}
    if db_ok:
        beat = WorkerHeartbeat.objects.filter(name="beat").first()
        checks["last_heartbeat"] = beat.beat_at.isoformat() if beat else None
    healthy = db_ok and broker_ok is not False
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks}, status=200 if healthy else 503
    )


def error_400(request, exception=None):
    return render(request, "400.html", status=400)


def error_403(request, exception=None):
    return render(request, "403.html", {"reason": str(exception) if exception else ""}, status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    # Rendered without context processors: the database may be the thing that failed.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render())
