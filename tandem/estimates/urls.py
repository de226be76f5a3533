from django.urls import path

from tandem.estimates import views

app_name = "estimates"
urlpatterns = [
    path("catalog/", views.catalog_list, name="catalog_list"),
    path("catalog/new/", views.item_create, name="item_create"),
    path("catalog/import/", views.catalog_import_page, name="catalog_import"),
    path("catalog/import/confirm/", views.catalog_import_confirm, name="catalog_import_confirm"),
    path("catalog/<int:pk>/", views.item_detail, name="item_detail"),
    path("catalog/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("catalog/<int:pk>/deactivate/", views.item_deactivate, name="item_deactivate"),
    path("suppliers/", views.supplier_list, name="supplier_list"),
    path("suppliers/new/", views.supplier_create, name="supplier_create"),
    path("suppliers/<int:pk>/edit/", views.supplier_edit, name="supplier_edit"),
]
