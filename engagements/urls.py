from __future__ import annotations

from django.urls import path

from engagements import views

app_name = "engagements"

urlpatterns = [
    path("today/", views.today, name="today"),
    path("our-partnerships/", views.our_partnerships, name="our_partnerships"),
]
