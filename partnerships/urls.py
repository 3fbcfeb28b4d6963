from django.urls import path

from foundation.page_cache import cached_page

from . import views

app_name = "partnerships"

urlpatterns = [
    path("", cached_page(views.RegisterListView.as_view()), name="register"),
    path("arrangements/<int:pk>/", views.ArrangementDetailView.as_view(), name="arrangement"),
    path("arrangements/<int:pk>/edit/", views.ArrangementUpdateView.as_view(), name="arrangement_edit"),
    path("export/", views.RegisterExportView.as_view(), name="export"),
    path("template/", views.TemplateDownloadView.as_view(), name="template"),
    path("import/", views.RegisterImportView.as_view(), name="import"),
    path("map/", views.MapView.as_view(), name="map"),
    path("savings/", views.SavingsView.as_view(), name="savings"),
    path("options/", views.PreferencesView.as_view(), name="preferences"),
    path("options/record/", views.PreferenceEditView.as_view(), name="preference_add"),
    path("options/<int:pk>/edit/", views.PreferenceEditView.as_view(), name="preference_edit"),
    path("options/services/<int:pk>/procurement/", views.ServiceProcurementView.as_view(), name="service_procurement"),
]
