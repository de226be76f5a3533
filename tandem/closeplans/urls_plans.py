from django.urls import path

from tandem.closeplans import views_plans as views

urlpatterns = [
    path("deals/<int:pk>/plan/", views.plan_section, name="plan"),
    path("deals/<int:pk>/plan/apply/", views.apply_template, name="plan_apply"),
    path("deals/<int:pk>/plan/steps/", views.add_step, name="step_add"),
    path("deals/<int:pk>/plan/accept-close/", views.accept_proposed_close, name="accept_close"),
    path("deals/<int:pk>/plan/share/", views.share, name="share"),
    path("plan-steps/<int:pk>/edit/", views.edit_step, name="step_edit"),
    path("plan-steps/<int:pk>/move/", views.move_step, name="step_move"),
    path("plan-steps/<int:pk>/remove/", views.remove_step, name="step_remove"),
    path("plan-steps/<int:pk>/status/", views.step_status, name="step_status"),
    path("plan-steps/<int:pk>/comment/", views.step_comment, name="step_comment"),
    path("share-links/<int:pk>/revoke/", views.revoke_link, name="share_revoke"),
]
