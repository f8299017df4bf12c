"""/sw.js: the service worker that makes Rekan installable and keeps the field forms for when there is no signal.

Served from the site's root, not from /static/, because a worker controls
only the pages under its own path. It names the static files by their
hashed names (``{% static %}``), so a new release is a new worker whose
cache replaces the old one. No-cache: the browser checks it on every visit.
"""

from __future__ import annotations

import hashlib
import json

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views.decorators.http import require_GET

# What an offline form page needs besides itself.
ASSETS = ["css/rekan.css", "js/rekan.js", "js/offline.js", "favicon.svg"]


@login_not_required
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    assets = [static(path) for path in ASSETS]
    version = hashlib.sha256("\n".join(assets).encode()).hexdigest()[:12]
    context = {"assets_json": json.dumps(assets), "version": version}
    script = render_to_string("service_worker.js", context)
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
