from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from . import tenancy
from .middleware import SESSION_KEY
from .models import Partnership


@login_required
@require_POST
def switch(request):
    """Work in another of one's partnerships; one that is not one's own is not found (404)."""
    try:
        wanted = int(request.POST.get("partnership", ""))
    except ValueError:
        raise Http404("No such partnership.") from None
    if wanted not in tenancy.partnership_ids_of(request.user):
        raise Http404("No such partnership.")
    request.session[SESSION_KEY] = wanted
    partnership = Partnership.objects.get(pk=wanted)
    messages.success(request, f"You are now working in {partnership.name}.")
    return redirect("home")
