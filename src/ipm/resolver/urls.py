"""The GS1-Conformant resolver at the site root (``/01/…``, ``/.well-known/gs1resolver``), the public product page,
and the right holders' pages that manage the resolver's links."""

from django.urls import path, re_path

from ipm.resolver import views, views_links

app_name = "resolver"

urlpatterns = [
    re_path(r"^\.well-known/gs1resolver/?$", views.description, name="description"),
    # Every path under /01/ reaches the resolver, so that a malformed one gets its 400 with the reason.
    re_path(r"^01/(?P<gtin>[^/]*)(?P<qualifiers>(?:/.*)?)$", views.resolve, name="resolve"),
    path("p/<str:gtin>/", views.public_product, name="public_product"),
    path("resolver-links/holder/<int:pk>/", views_links.link_list, name="link_list"),
    path("resolver-links/holder/<int:pk>/new/", views_links.link_create, name="link_create"),
    path("resolver-links/<int:pk>/", views_links.link_edit, name="link_edit"),
    path("resolver-links/<int:pk>/remove/", views_links.link_remove, name="link_remove"),
    # Last: one segment of base64url characters, letters and digits mixed, may be a compressed GS1 Digital Link URI.
    # Letters alone never match, so "/organisations" still gets CommonMiddleware's redirect to "/organisations/".
    re_path(
        r"^(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])(?P<segment>[A-Za-z0-9_-]{8,})/?$",
        views.compressed,
        name="compressed",
    ),
]
