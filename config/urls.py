from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("core.urls")),
    path("frameworks/", include("frameworks.urls")),
    path("applications/", include("applications.urls")),
    path("review/", include("review.urls")),
    path("", include("certificates.urls")),
    path("quality/", include("quality.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
