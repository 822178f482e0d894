from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "quality"
urlpatterns = [
    # The section's address on its own leads to the report.
    path(
        "",
        RedirectView.as_view(pattern_name="quality:report", http_method_names=["get", "head"]),
        name="index",
    ),
    path("report/", views.report, name="report"),
    path("report.json", views.report_json, name="report_json"),
    path("exports/", views.export_list, name="export_list"),
    path("exports/new/", views.export_create, name="export_create"),
    path("exports/<int:pk>/", views.export_detail, name="export_detail"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("exports/<slug:dataset>.csv", views.export_csv, name="export_csv"),
    path("records/", views.browse, name="browse"),
    path(
        "records/applications/<int:pk>/trail.json",
        views.application_trail,
        name="application_trail",
    ),
    path("records/rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("records/reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("audit-trail/", views.audit_trail, name="audit_trail"),
]
urlpatterns += [
    path(f"records/{name.replace('_', '-')}/", views.browse_list(name), name=f"browse_{name}")
    for name, _label in views.LISTS
]
