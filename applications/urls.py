from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("", views.my_applications, name="my_applications"),
    path("start/<int:version_id>/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/evidence/add/", views.evidence_add, name="evidence_add"),
    path("<int:pk>/evidence/<int:item_pk>/edit/", views.evidence_edit, name="evidence_edit"),
    path("<int:pk>/evidence/<int:item_pk>/remove/", views.evidence_remove, name="evidence_remove"),
    path("evidence/<int:item_pk>/file/", views.evidence_file, name="evidence_file"),
    path("<int:pk>/self-assessment/", views.self_assessment, name="self_assessment"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/rounds/<int:number>/", views.round_detail, name="round_detail"),
]
