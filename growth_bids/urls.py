from django.urls import path

from foundation.page_cache import cached_page

from . import views

app_name = "growth_bids"

urlpatterns = [
    path("", views.RoundListView.as_view(), name="round_list"),
    path("rounds/new/", views.RoundCreateView.as_view(), name="round_create"),
    path("rounds/<int:pk>/", views.RoundDetailView.as_view(), name="round_detail"),
    path("rounds/<int:pk>/edit/", views.RoundUpdateView.as_view(), name="round_update"),
    path("rounds/<int:pk>/criteria/", views.CriteriaEditView.as_view(), name="criteria_edit"),
    path("rounds/<int:pk>/criteria/copy/", views.CriteriaCopyView.as_view(), name="criteria_copy"),
    path("rounds/<int:pk>/do/<slug:action>/", views.RoundActionView.as_view(), name="round_action"),
    path("rounds/<int:pk>/notice/", views.NoticeCreateView.as_view(), name="notice_create"),
    path("rounds/<int:pk>/bids/new/", views.BidCreateView.as_view(), name="bid_create"),
    path("rounds/<int:pk>/bids/new/autosave/", views.BidAutosaveNewView.as_view(), name="bid_autosave_new"),
    path("rounds/<int:pk>/assignments/", views.AssignmentsView.as_view(), name="assignments"),
    path("rounds/<int:pk>/body/", cached_page(views.BodyListView.as_view()), name="body_list"),
    path("rounds/<int:pk>/body/decide/", views.DecideManyView.as_view(), name="decide_many"),
    path("<int:pk>/", cached_page(views.BidDetailView.as_view()), name="bid_detail"),
    path("<int:pk>/edit/", views.BidUpdateView.as_view(), name="bid_update"),
    path("<int:pk>/autosave/", views.BidAutosaveView.as_view(), name="bid_autosave"),
    path("<int:pk>/withdraw/", views.BidWithdrawView.as_view(), name="bid_withdraw"),
    path("<int:pk>/supporters/", views.SupportAskView.as_view(), name="support_ask"),
    path("<int:pk>/attachments/", views.AttachmentUploadView.as_view(), name="attachment_upload"),
    path("<int:pk>/export.csv", views.BidExportView.as_view(), name="bid_export"),
    path("<int:pk>/as-filed.pdf", views.BidFiledCopyView.as_view(), name="bid_filed_copy"),
    path("<int:pk>/evaluate/", views.EvaluationView.as_view(), name="evaluate"),
    path("<int:pk>/moderate/", views.EvaluationView.as_view(moderated=True), name="moderate"),
    path("<int:pk>/decide/", views.DecisionView.as_view(), name="decide"),
    path("<int:pk>/procurement/", views.BidProcurementView.as_view(), name="bid_procurement"),
    path("<int:pk>/fell-through/", views.FallThroughView.as_view(), name="fall_through"),
    path("support/<int:pk>/answer/", views.SupportAnswerView.as_view(), name="support_answer"),
    path("attachments/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment_download"),
]
