from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("coordinator/", views.coordinator_overview, name="coordinator_overview"),
    path("<int:pk>/", views.review, name="review"),
    path("<int:pk>/start/", views.start, name="start"),
    path("<int:pk>/moderate/", views.moderate, name="moderate"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("assignments/<int:assignment_pk>/end/", views.unassign, name="unassign"),
]
