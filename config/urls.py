from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("home.urls")),
    path("", include("core.urls")),
    path("frameworks/", include("frameworks.urls")),
    path("applications/", include("applications.urls")),
    path("review/", include("review.urls")),
    path("", include("certificates.urls")),
    path("quality/", include("quality.urls")),
    path("admin/", admin.site.urls),
]

# Uploaded and generated files are never served by their storage URL, not even in
# development: evidence, badge images, PDFs and exports each go through a view that checks
# who may see them (and serves them as attachments where that matters).
