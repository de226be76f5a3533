"""URLs of scenarios and their versions; included by estimates/urls.py."""

from django.urls import path

from tandem.estimates.scenarios import views

urlpatterns = [
    path("deals/<int:deal_pk>/estimates/new/", views.estimate_create, name="estimate_create"),
    path("deals/<int:deal_pk>/estimates/compare/", views.estimate_compare, name="estimate_compare"),
    path("estimates/<int:pk>/", views.estimate_detail, name="estimate_detail"),
    path("estimates/<int:pk>/edit/", views.estimate_edit, name="estimate_edit"),
    path("estimates/<int:pk>/preview/", views.estimate_preview, name="estimate_preview"),
    path("estimates/<int:pk>/diff/", views.estimate_diff, name="estimate_diff"),
    path("estimates/<int:pk>/copy/", views.estimate_copy, name="estimate_copy"),
    path("estimates/<int:pk>/accept/", views.estimate_accept, name="estimate_accept"),
    path("estimates/<int:pk>/v<int:number>/", views.version_detail, name="version_detail"),
]
