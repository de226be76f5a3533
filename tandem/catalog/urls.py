from django.urls import path

from tandem.catalog import views

app_name = "catalog"
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
    path("rates/", views.role_list, name="role_list"),
    path("rates/roles/new/", views.role_create, name="role_create"),
    path("rates/roles/<int:pk>/", views.role_detail, name="role_detail"),
    path("rates/roles/<int:pk>/edit/", views.role_edit, name="role_edit"),
    path("rates/roles/<int:pk>/rates/new/", views.rate_create, name="rate_create"),
    path("rates/<int:pk>/edit/", views.rate_edit, name="rate_edit"),
    path("rates/<int:pk>/delete/", views.rate_delete, name="rate_delete"),
]
