"""URLs of requests; included by estimates/urls.py."""

from django.urls import path

from tandem.estimates.requests import views

urlpatterns = [
    path("estimate-requests/", views.request_list, name="request_list"),
    path("deals/<int:deal_pk>/estimate-requests/new/", views.request_create, name="request_create"),
    path("estimate-requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("estimate-requests/<int:pk>/edit/", views.request_edit, name="request_edit"),
    path("estimate-requests/<int:pk>/start/", views.request_start, name="request_start"),
    path("estimate-requests/<int:pk>/return/", views.request_return, name="request_return"),
    path("estimate-requests/<int:pk>/decline/", views.request_decline, name="request_decline"),
    path("estimate-requests/<int:pk>/again/", views.request_again, name="request_again"),
    path("estimate-requests/<int:pk>/attach/", views.request_attach, name="request_attach"),
    path(
        "estimate-requests/files/<int:pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "estimate-requests/files/<int:pk>/remove/",
        views.attachment_remove,
        name="attachment_remove",
    ),
]
