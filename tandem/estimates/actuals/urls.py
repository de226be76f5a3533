"""URLs of the past projects that estimates learn from; included by estimates/urls.py."""

from django.urls import path

from tandem.estimates.actuals import views

urlpatterns: list = [
    path("past-projects/", views.past_project_list, name="past_project_list"),
    path("past-projects/new/", views.past_project_create, name="past_project_create"),
    path("past-projects/import/", views.past_project_import, name="past_project_import"),
    path(
        "past-projects/import/confirm/",
        views.past_project_import_confirm,
        name="past_project_import_confirm",
    ),
    path("past-projects/<int:pk>/edit/", views.past_project_edit, name="past_project_edit"),
    path(
        "past-projects/<int:pk>/delete/",
        views.past_project_delete,
        name="past_project_delete",
    ),
]
