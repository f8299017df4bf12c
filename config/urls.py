from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from accounts.forms import AdminLoginForm
from accounts.views import home
from config.favicon import favicon
from config.health import healthz
from config.service_worker import service_worker

# The admin's log-in refuses over-long credentials as the site's does.
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("", include("engagements.urls")),
    path("organizations/", include("partners.urls")),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("sw.js", service_worker, name="service_worker"),
    path("admin/", admin.site.urls),
]
