from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from tandem.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("search/", core_views.search, name="search"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("", include("tandem.pipeline.urls")),
    path("", include("tandem.crm.urls")),
    path("", include("tandem.catalog.urls")),
    path("", include("tandem.closeplans.urls")),
    path("", include("tandem.estimates.urls")),
    path("shared/", include("tandem.closeplans.urls_customer")),
    path("notifications/", include("tandem.notifications.urls")),
    path("api/", include("tandem.api.urls")),
    path("admin/", admin.site.urls),
]
