from django.urls import path

from tandem.pipeline import views

app_name = "pipeline"
urlpatterns = [
    path("pipeline/", views.board, name="board"),
    path("deals/", views.deal_list, name="deal_list"),
    path("deals/new/", views.deal_create, name="deal_create"),
    path("deals/<int:pk>/", views.deal_detail, name="deal_detail"),
    path("deals/<int:pk>/edit/", views.deal_edit, name="deal_edit"),
    path("deals/<int:pk>/move/", views.deal_move, name="deal_move"),
    path("deals/<int:pk>/close-date/", views.deal_close_date, name="deal_close_date"),
    path("deals/<int:pk>/lost/", views.deal_lost, name="deal_lost"),
    path("deals/<int:pk>/nurture/", views.deal_nurture, name="deal_nurture"),
    path("deals/<int:pk>/return/", views.deal_return, name="deal_return"),
    path("deals/<int:pk>/reopen/", views.deal_reopen, name="deal_reopen"),
    path("deals/<int:pk>/activities/", views.deal_log_activity, name="deal_log_activity"),
    path("deals/<int:pk>/next-step/", views.deal_next_step, name="deal_next_step"),
    path(
        "accounts/<int:pk>/activities/",
        views.account_log_activity,
        name="account_log_activity",
    ),
]
