from django.urls import path

from tandem.closeplans import views_templates as views

urlpatterns = [
    path("plan-templates/", views.template_list, name="template_list"),
    path("plan-templates/new/", views.template_create, name="template_create"),
    path("plan-templates/<int:pk>/", views.template_detail, name="template_detail"),
    path("plan-templates/<int:pk>/edit/", views.template_edit, name="template_edit"),
    path("plan-templates/<int:pk>/steps/", views.template_step_add, name="template_step_add"),
    path(
        "plan-templates/<int:pk>/steps/order/",
        views.template_step_reorder,
        name="template_step_reorder",
    ),
    path(
        "plan-templates/<int:pk>/steps/<int:step_pk>/edit/",
        views.template_step_edit,
        name="template_step_edit",
    ),
    path(
        "plan-templates/<int:pk>/steps/<int:step_pk>/delete/",
        views.template_step_delete,
        name="template_step_delete",
    ),
    path(
        "plan-templates/<int:pk>/steps/<int:step_pk>/move/",
        views.template_step_move,
        name="template_step_move",
    ),
    path("days-off/", views.holiday_list, name="holiday_list"),
    path("days-off/<int:pk>/delete/", views.holiday_delete, name="holiday_delete"),
]
