"""Serving the catalogue's pictures from the default storage under ``/media/``, whatever DEBUG says.

The demo and small installations run with local storage and may run with DEBUG off, where Django serves no media
by itself; this view fills that gap. With an S3-compatible storage the pages link to the storage's own URLs and
this view is not on their path (it still answers, streaming from the storage). A front web server or CDN may
serve ``MEDIA_ROOT`` directly instead — see docs/deployment.md.

Only names the image pipeline produces are served (``catalog/<folder>/<32 hex digits>[_<suffix>].jpg``): the
default storage also holds files that must never be public (import spreadsheets), and a fixed pattern refuses
path traversal by construction. Those names are random and never reused, so a year's ``immutable`` caching is
safe; every file behind them is a JPEG that IPM encoded itself.

Included from ``ipm.urls`` as ``path("media/", include("ipm.web.media_views"))``.
"""

import re

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.urls import path
from django.views.decorators.http import require_safe

SERVABLE_NAME = re.compile(r"catalog/(?:logos|photos|clues|variants)/[0-9a-f]{32}(?:_\d{1,4}|_crop_[0-9a-f]{12})?\.jpg")
CACHE_CONTROL = "public, max-age=31536000, immutable"


@require_safe
def serve_image(request, name: str):
    """Stream one stored picture; 404 for any other name, or when the file is gone."""
    if not SERVABLE_NAME.fullmatch(name):
        raise Http404
    try:
        stored = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    response = FileResponse(stored, content_type="image/jpeg")
    response["Cache-Control"] = CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


app_name = "media"
urlpatterns = [path("<path:name>", serve_image, name="image")]
