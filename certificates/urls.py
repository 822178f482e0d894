from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    # Public: verification page and Open Badges documents.
    path("credentials/<uuid:public_id>/", views.verify, name="verify"),
    path("credentials/verify/", views.verify_upload, name="verify_upload"),
    path("ob2/assertions/<uuid:public_id>", views.ob2_assertion, name="ob2_assertion"),
    path("ob2/issuers/<uuid:issuer_id>", views.ob2_issuer, name="ob2_issuer"),
    path(
        "ob2/issuers/<uuid:issuer_id>/revocations",
        views.ob2_revocation_list,
        name="ob2_revocation_list",
    ),
    path(
        "ob2/issuers/<uuid:issuer_id>/badges/<int:version_id>",
        views.ob2_badge_class,
        name="ob2_badge_class",
    ),
    path("ob3/credentials/<uuid:public_id>.json", views.ob3_credential, name="ob3_credential"),
    path("ob3/credentials/<uuid:public_id>.jwt", views.ob3_jwt, name="ob3_jwt"),
    path(
        "ob3/issuers/<uuid:issuer_id>/achievements/<int:version_id>",
        views.ob3_achievement,
        name="ob3_achievement",
    ),
    path("ob3/status/<uuid:issuer_id>", views.status_list, name="status_list"),
    path("issuers/<uuid:issuer_id>", views.issuer_profile, name="issuer_profile"),
    path("issuers/<uuid:issuer_id>/jwks.json", views.issuer_jwks, name="issuer_jwks"),
    path("issuers/<uuid:issuer_id>/keys/<str:key_id>", views.issuer_key, name="issuer_key"),
    path("badges/<int:version_id>/image", views.badge_image, name="badge_image"),
    path("competences/<int:competence_id>", views.competence, name="competence"),
    # Restricted downloads.
    path(
        "credentials/<uuid:public_id>/badge.png",
        views.download,
        {"field": "baked_png"},
        name="baked_png",
    ),
    path(
        "credentials/<uuid:public_id>/badge.svg",
        views.download,
        {"field": "baked_svg"},
        name="baked_svg",
    ),
    path(
        "credentials/<uuid:public_id>/badge-ob2.png",
        views.download,
        {"field": "baked_ob2_png"},
        name="baked_ob2_png",
    ),
    path(
        "credentials/<uuid:public_id>/badge-ob2.svg",
        views.download,
        {"field": "baked_ob2_svg"},
        name="baked_ob2_svg",
    ),
    path(
        "credentials/<uuid:public_id>/certificate.pdf",
        views.download,
        {"field": "certificate_pdf"},
        name="certificate_pdf",
    ),
    path(
        "credentials/<uuid:public_id>/assessment-report.pdf",
        views.download,
        {"field": "report_pdf"},
        name="report_pdf",
    ),
    path("credentials/<uuid:public_id>/visibility/", views.set_visibility, name="set_visibility"),
    path("credentials/<uuid:public_id>/revoke/", views.revoke, name="revoke"),
    # Learner and coordinator pages.
    path("my-credentials/", views.portfolio, name="portfolio"),
    path("issuers/", views.issuer_list, name="issuer_list"),
    path("issuers/new/", views.issuer_edit, name="issuer_create"),
    path("issuers/<uuid:issuer_id>/edit/", views.issuer_edit, name="issuer_edit"),
]
