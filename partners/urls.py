from __future__ import annotations

from django.urls import path

from partners import transfer_views, views

app_name = "partners"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("new/", views.organization_create, name="organization_create"),
    path("export.csv", transfer_views.directory_export, name="directory_export"),
    path("import/", transfer_views.organization_import, name="organization_import"),
    path("<int:pk>/", views.organization_detail, name="organization_detail"),
    path("<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("<int:pk>/archive/", views.organization_archive, name="organization_archive"),
    path("<int:pk>/restore/", views.organization_restore, name="organization_restore"),
    path("<int:pk>/stage/", views.organization_stage, name="organization_stage"),
    path("<int:pk>/timeline/", views.organization_timeline, name="organization_timeline"),
    path("<int:pk>/contacts/", views.contact_list, name="contact_list"),
    path("<int:pk>/contacts/new/", views.contact_form, name="contact_create"),
    path("<int:pk>/contacts/<int:contact_pk>/edit/", views.contact_form, name="contact_edit"),
    path("<int:pk>/contacts/<int:contact_pk>/export.json", views.contact_export, name="contact_export"),
    path("<int:pk>/contacts/<int:contact_pk>/erase/", views.contact_erase, name="contact_erase"),
    path("<int:pk>/leaders/new/", views.leader_create, name="leader_create"),
    path("<int:pk>/interactions/new/", views.interaction_create, name="interaction_create"),
]
