from django.urls import path

from . import views

# Not namespaced: "home" is the name every layout and the login redirect use.
urlpatterns = [
    path("", views.home, name="home"),
    path("home/seen/", views.mark_seen, name="home_mark_seen"),
]
