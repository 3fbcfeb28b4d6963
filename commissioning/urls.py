from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from foundation.page_cache import cached_page

from . import views
from .forms import SignInForm

admin.site.site_header = "Commissioning administration"
admin.site.site_title = "Commissioning admin"
admin.site.index_title = "Reference data, policies and timetables"

urlpatterns = [
    path("", cached_page(views.HomeView.as_view(), vary=views.visit_since), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("decisions/queue/", views.DecisionQueueView.as_view(), name="decision_queue"),
    path("decisions/register/", views.DecisionRegisterView.as_view(), name="decision_register"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=SignInForm),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("partnership/", include("core_groups.partnership_urls")),
    path("core-groups/", include("core_groups.urls")),
    path("procurement/", include("procurement.urls")),
    path("bids/", include("growth_bids.urls")),
    path("reports/", include("commissioning.report_urls")),
    path("notifications/", include("foundation.urls")),
    path("imports/", include("foundation.import_urls")),
]

if "partnerships" in settings.INSTALLED_APPS:
    urlpatterns.append(path("shared/", include("partnerships.urls")))

if "review" in settings.INSTALLED_APPS:
    urlpatterns.append(path("review/", include("review.urls")))

handler400 = "commissioning.views.error_400"
handler403 = "commissioning.views.error_403"
handler404 = "commissioning.views.error_404"
handler500 = "commissioning.views.error_500"
