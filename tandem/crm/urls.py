from django.urls import path

from tandem.crm import views

app_name = "crm"
urlpatterns = [
    path("accounts/", views.account_list, name="account_list"),
    path("accounts/new/", views.account_create, name="account_create"),
    path("accounts/lookup/", views.account_lookup, name="account_lookup"),
    path("accounts/<int:pk>/", views.account_detail, name="account_detail"),
    path("accounts/<int:pk>/edit/", views.account_edit, name="account_edit"),
    path("accounts/<int:pk>/people/", views.account_add_person, name="account_add_person"),
    path("contacts/", views.contact_list, name="contact_list"),
    path("contacts/new/", views.contact_create, name="contact_create"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact_detail"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/roles/", views.contact_add_role, name="contact_add_role"),
    path("stakeholders/<int:pk>/end/", views.stakeholder_end, name="stakeholder_end"),
    path("stakeholders/<int:pk>/move/", views.stakeholder_move, name="stakeholder_move"),
]
