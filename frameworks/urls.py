from django.urls import path

from . import views

app_name = "frameworks"
urlpatterns = [
    path("", views.framework_list, name="framework_list"),
    path("import/", views.framework_import, name="framework_import"),
    path("<int:pk>/", views.framework_detail, name="framework_detail"),
    path("<int:pk>/export/", views.framework_export, name="framework_export"),
    path("<int:pk>/translations/", views.framework_translate, name="framework_translate"),
    path("constellations/", views.constellation_list, name="constellation_list"),
    path("constellations/new/", views.constellation_create, name="constellation_create"),
    path("constellations/import/", views.constellation_import, name="constellation_import"),
    path("constellations/<slug:slug>/", views.constellation_detail, name="constellation_detail"),
    path("constellations/<slug:slug>/edit/", views.constellation_edit, name="constellation_edit"),
    path(
        "constellations/<slug:slug>/export/",
        views.constellation_export,
        name="constellation_export",
    ),
    path("constellations/<slug:slug>/coverage/", views.coverage, name="coverage"),
    path(
        "constellations/<slug:slug>/translations/",
        views.translation_overview,
        name="translation_overview",
    ),
    path(
        "constellations/<slug:slug>/translations/edit/",
        views.constellation_translate,
        name="constellation_translate",
    ),
    path("constellations/<slug:slug>/badges/new/", views.badge_create, name="badge_create"),
    path("badges/<int:pk>/", views.badge_detail, name="badge_detail"),
    path("badges/<int:pk>/edit/", views.badge_edit, name="badge_edit"),
    path("badges/<int:pk>/new-version/", views.badge_new_draft, name="badge_new_draft"),
    path("badges/<int:pk>/publish/", views.badge_publish, name="badge_publish"),
    path("badges/<int:pk>/retire/", views.badge_retire, name="badge_retire"),
    path("badges/<int:pk>/image/", views.badge_image, name="badge_image"),
    path("badges/<int:pk>/translations/", views.badge_translate, name="badge_translate"),
    path("badges/<int:pk>/criteria/new/", views.criterion_create, name="criterion_create"),
    path("criteria/<int:pk>/edit/", views.criterion_edit, name="criterion_edit"),
    path("criteria/<int:pk>/delete/", views.criterion_delete, name="criterion_delete"),
    path("catalogue/", views.catalogue, name="catalogue"),
]
