"""Catalogue pages, under ``/products/``."""

from django.urls import path

from ipm.catalog import views_authoring, views_officer, views_records

app_name = "catalog"

urlpatterns = [
    # What officers read (right holders too, to see their sheets as officers do)
    path("", views_officer.product_list, name="product_list"),
    path("<int:pk>/", views_officer.product_detail, name="product_detail"),
    # Authoring (right holders, their representatives, the secretariat): views_authoring
    path("manage/", views_authoring.manage_home, name="manage_home"),
    path("manage/<int:pk>/", views_authoring.catalogue, name="catalogue"),
    path("manage/<int:pk>/new/", views_authoring.sheet_create, name="sheet_create"),
    path("manage/<int:pk>/import/", views_authoring.import_start, name="import_start"),
    path("manage/<int:pk>/export/<str:fmt>/", views_authoring.catalogue_export, name="catalogue_export"),
    path("manage/imports/<int:pk>/", views_authoring.import_job, name="import_job"),
    path("manage/import-template/<str:fmt>/", views_authoring.import_template, name="import_template"),
    path("brands/holder/<int:pk>/", views_authoring.brand_list, name="brand_list"),
    path("brands/holder/<int:pk>/new/", views_authoring.brand_create, name="brand_create"),
    path("brands/<int:pk>/", views_authoring.brand_edit, name="brand_edit"),
    path("manage/sheets/<int:pk>/", views_authoring.sheet_edit, name="sheet_edit"),
    path("manage/sheets/<int:pk>/status/", views_authoring.sheet_status, name="sheet_status"),
    path("manage/sheets/<int:pk>/codes/", views_authoring.sheet_codes, name="sheet_codes"),
    path(
        "manage/sheets/<int:pk>/codes/<int:identifier>/remove/",
        views_authoring.sheet_code_remove,
        name="sheet_code_remove",
    ),
    path("manage/sheets/<int:pk>/texts/<str:language>/", views_authoring.sheet_texts, name="sheet_texts"),
    path(
        "manage/sheets/<int:pk>/texts/<str:language>/remove/",
        views_authoring.sheet_text_remove,
        name="sheet_text_remove",
    ),
    path("manage/sheets/<int:pk>/clues/", views_authoring.sheet_clues, name="sheet_clues"),
    path("manage/sheets/<int:pk>/clues/<int:clue>/", views_authoring.sheet_clue, name="sheet_clue"),
    path(
        "manage/sheets/<int:pk>/clues/<int:clue>/remove/", views_authoring.sheet_clue_remove, name="sheet_clue_remove"
    ),
    path("manage/sheets/<int:pk>/clues/<int:clue>/move/", views_authoring.sheet_clue_move, name="sheet_clue_move"),
    path("manage/sheets/<int:pk>/photos/", views_authoring.sheet_photos, name="sheet_photos"),
    path(
        "manage/sheets/<int:pk>/photos/<int:photo>/remove/",
        views_authoring.sheet_photo_remove,
        name="sheet_photo_remove",
    ),
    path("manage/sheets/<int:pk>/photos/<int:photo>/move/", views_authoring.sheet_photo_move, name="sheet_photo_move"),
    path("manage/sheets/<int:pk>/visibility/", views_authoring.sheet_visibility, name="sheet_visibility"),
    path("manage/sheets/<int:pk>/history/", views_authoring.sheet_history, name="sheet_history"),
    path("manage/sheets/<int:pk>/history/<int:number>/", views_authoring.sheet_version, name="sheet_version"),
    # Logistics and legal records (views_records): a right holder's, then a sheet's routes and known counterfeits
    path("manage/<int:pk>/records/", views_records.records_home, name="records_home"),
    path("manage/<int:pk>/records/<slug:kind>/", views_records.record_list, name="record_list"),
    path("manage/<int:pk>/records/<slug:kind>/new/", views_records.record_create, name="record_create"),
    path("manage/records/<slug:kind>/<int:pk>/", views_records.record_edit, name="record_edit"),
    path("manage/records/<slug:kind>/<int:pk>/remove/", views_records.record_remove, name="record_remove"),
    path("manage/sheets/<int:pk>/records/<slug:kind>/", views_records.sheet_records, name="sheet_records"),
    path(
        "manage/sheets/<int:pk>/records/<slug:kind>/new/", views_records.sheet_record_create, name="sheet_record_create"
    ),
    path("manage/sheets/records/<slug:kind>/<int:pk>/", views_records.sheet_record_edit, name="sheet_record_edit"),
    path(
        "manage/sheets/records/<slug:kind>/<int:pk>/remove/",
        views_records.sheet_record_remove,
        name="sheet_record_remove",
    ),
]
