"""Connected pages of providers, the secretariat and right holders, under ``/connected/``. (The officer's
verification pages are in ``urls_verification.py``.)"""

from django.urls import path

from ipm.connected import views

app_name = "connected"

urlpatterns = [
    path("services/", views.service_list, name="service_list"),
    path("services/new/", views.service_create, name="service_create"),
    path("services/<int:pk>/", views.service_detail, name="service_detail"),
    path("services/<int:pk>/edit/", views.service_edit, name="service_edit"),
    path("services/<int:pk>/secret/", views.service_secret, name="service_secret"),
    path("services/<int:pk>/decide/", views.service_decide, name="service_decide"),
    path("services/<int:pk>/submit/", views.service_submit, name="service_submit"),
    path("brands/<int:pk>/", views.brand_secured_by, name="brand_secured_by"),
    path("products/<int:pk>/", views.product_secured_by, name="product_secured_by"),
    path("links/<int:pk>/remove/", views.unlink, name="unlink"),
]
