from django.urls import path

from .views import holder, issuers, public

app_name = "certificates"
urlpatterns = [
    # Public: verification page and Open Badges documents.
    path("credentials/<uuid:public_id>/", public.verify, name="verify"),
    path("credentials/verify/", public.verify_upload, name="verify_upload"),
    path("ob2/assertions/<uuid:public_id>", public.ob2_assertion, name="ob2_assertion"),
    path("ob2/issuers/<uuid:issuer_id>", public.ob2_issuer, name="ob2_issuer"),
    path(
        "ob2/issuers/<uuid:issuer_id>/revocations",
        public.ob2_revocation_list,
        name="ob2_revocation_list",
    ),
    path(
        "ob2/issuers/<uuid:issuer_id>/badges/<int:version_id>",
        public.ob2_badge_class,
        name="ob2_badge_class",
    ),
    path("ob3/credentials/<uuid:public_id>.json", public.ob3_credential, name="ob3_credential"),
    path("ob3/credentials/<uuid:public_id>.jwt", public.ob3_jwt, name="ob3_jwt"),
    path(
        "ob3/issuers/<uuid:issuer_id>/achievements/<int:version_id>",
        public.ob3_achievement,
        name="ob3_achievement",
    ),
    path("ob3/status/<uuid:issuer_id>", public.status_list, name="status_list"),
    path("issuers/<uuid:issuer_id>", public.issuer_profile, name="issuer_profile"),
    path("issuers/<uuid:issuer_id>/jwks.json", public.issuer_jwks, name="issuer_jwks"),
    path("issuers/<uuid:issuer_id>/keys/<str:key_id>", public.issuer_key, name="issuer_key"),
    path("badges/<int:version_id>/image", public.badge_image, name="badge_image"),
    path("competences/<int:competence_id>", public.competence, name="competence"),
    # Restricted downloads.
    path(
        "credentials/<uuid:public_id>/badge.png",
        holder.download,
        {"field": "baked_png"},
        name="baked_png",
    ),
    path(
        "credentials/<uuid:public_id>/badge.svg",
        holder.download,
        {"field": "baked_svg"},
        name="baked_svg",
    ),
    path(
        "credentials/<uuid:public_id>/badge-ob2.png",
        holder.download,
        {"field": "baked_ob2_png"},
        name="baked_ob2_png",
    ),
    path(
        "credentials/<uuid:public_id>/badge-ob2.svg",
        holder.download,
        {"field": "baked_ob2_svg"},
        name="baked_ob2_svg",
    ),
    path(
        "credentials/<uuid:public_id>/certificate.pdf",
        holder.download,
        {"field": "certificate_pdf"},
        name="certificate_pdf",
    ),
    path(
        "credentials/<uuid:public_id>/assessment-report.pdf",
        holder.download,
        {"field": "report_pdf"},
        name="report_pdf",
    ),
    path("credentials/<uuid:public_id>/visibility/", holder.set_visibility, name="set_visibility"),
    path("credentials/<uuid:public_id>/revoke/", issuers.revoke, name="revoke"),
    # Learner and coordinator pages.
    path("my-credentials/", holder.portfolio, name="portfolio"),
    path("issuers/", issuers.issuer_list, name="issuer_list"),
    path("issuers/new/", issuers.issuer_edit, name="issuer_create"),
    path("issuers/<uuid:issuer_id>/edit/", issuers.issuer_edit, name="issuer_edit"),
]
